// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store;

import java.util.function.Consumer;

/**
 * How nodes sharing one PostgreSQL tell each other what changed, so each can evict its caches
 * (PostgreSQL LISTEN/NOTIFY on one channel). The embedded SQLite store has one node and needs
 * none of it: its bus does nothing.
 */
public interface ChangeBus extends AutoCloseable {
    /** Announces a change to every node (including this one). Payloads are short strings. */
    void publish(String payload);

    /**
     * Starts listening. {@code onChange} gets every payload; {@code onBlind} is called when the
     * connection is lost (changes may be missed until it is back) and again with {@code false}
     * once it is listening again.
     */
    void listen(Consumer<String> onChange, Consumer<Boolean> onBlind);

    @Override
    void close();

    ChangeBus NONE = new ChangeBus() {
        @Override public void publish(String payload) {}
        @Override public void listen(Consumer<String> onChange, Consumer<Boolean> onBlind) {}
        @Override public void close() {}
    };
}
