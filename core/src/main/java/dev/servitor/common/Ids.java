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

    /** Whether {@code id} has the shape of an id made by {@link #newId} with {@code prefix}. */
    public static boolean isWellFormed(String prefix, String id) {
        return id != null && id.length() == prefix.length() + 23 && id.startsWith(prefix + "_")
            && id.substring(prefix.length() + 1).chars().allMatch(c -> Base62.isBase62((char) c));
    }
}
