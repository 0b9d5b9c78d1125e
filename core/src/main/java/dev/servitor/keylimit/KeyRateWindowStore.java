// SPDX-License-Identifier: Apache-2.0
package dev.servitor.keylimit;

import java.util.Optional;

/** Rows of {@code key_rate_windows}: a rate-limited key's window as leased out to the nodes. */
public interface KeyRateWindowStore {
    /** A stored window and the version a change must name. */
    record Stored(SlotWindow window, long version) {}

    Optional<Stored> find(String keyId);

    /** Stores a first window; false if another node stored one first. */
    boolean insert(String keyId, SlotWindow window);

    /** Replaces the window if it is still at {@code version}; false if another node changed it since. */
    boolean replace(String keyId, long version, SlotWindow window);

    void delete(String keyId);
}
