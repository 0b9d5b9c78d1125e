// SPDX-License-Identifier: Apache-2.0
package dev.servitor.common;

import dev.servitor.crypto.Base62;
import java.security.SecureRandom;

/** Opaque resource ids: a type prefix and 22 random base62 characters (about 131 bits). */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    public static String newId(String prefix) {
        return prefix + "_" + Base62.randomString(RANDOM, 22);
    }
}
