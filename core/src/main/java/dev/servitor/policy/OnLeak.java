// SPDX-License-Identifier: Apache-2.0
package dev.servitor.policy;

import java.util.Locale;
import java.util.Optional;

/** What a credential reported as leaked gets: revoked at once (the default), or only flagged. */
public enum OnLeak {
    REVOKE, NOTIFY;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<OnLeak> fromWire(String s) {
        for (OnLeak o : values()) if (o.wire().equals(s)) return Optional.of(o);
        return Optional.empty();
    }
}
