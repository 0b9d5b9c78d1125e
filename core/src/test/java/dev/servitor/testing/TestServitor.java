// SPDX-License-Identifier: Apache-2.0
package dev.servitor.testing;

import dev.servitor.Servitor;
import dev.servitor.authn.Verification;
import dev.servitor.caller.Caller;
import dev.servitor.config.ServitorConfig;
import dev.servitor.testing.TestDatabases.Engine;

/**
 * A started {@link Servitor} on a fresh database of one engine, with a {@link MutableClock}
 * and the bootstrap admin as a {@link Caller}, obtained the way every interface obtains one:
 * by verifying the admin key printed on first start.
 */
public final class TestServitor implements AutoCloseable {
    public static final String CLIENT_IP = "127.0.0.1";

    private final Engine engine;
    private final Servitor servitor;
    private final MutableClock clock;
    private final String adminKey;
    private final Caller admin;

    private TestServitor(Engine engine, Servitor servitor, MutableClock clock) {
        this.engine = engine;
        this.servitor = servitor;
        this.clock = clock;
        this.adminKey = servitor.generatedAdminKey()
            .orElseThrow(() -> new IllegalStateException("a fresh database must generate the bootstrap admin key"));
        Verification v = servitor.verifier().verify(adminKey, CLIENT_IP);
        if (!v.valid()) throw new IllegalStateException("bootstrap admin key does not verify: " + v.code());
        this.admin = v.caller();
    }

    public static TestServitor start(Engine engine) {
        return start(engine, ServitorConfig.defaults());
    }

    /** {@code config}'s storage is replaced by a fresh database of {@code engine}. */
    public static TestServitor start(Engine engine, ServitorConfig config) {
        MutableClock clock = MutableClock.atDefaultStart();
        Servitor servitor = Servitor.start(config.withStorage(TestDatabases.fresh(engine)), clock);
        try {
            return new TestServitor(engine, servitor, clock);
        } catch (RuntimeException e) {
            servitor.close();
            throw e;
        }
    }

    public Engine engine() { return engine; }
    public Servitor servitor() { return servitor; }
    public MutableClock clock() { return clock; }
    public String adminKey() { return adminKey; }
    public Caller admin() { return admin; }

    /** The caller that presenting {@code key} yields; fails the test if the key is not valid. */
    public Caller callerOf(String key) {
        Verification v = servitor.verifier().verify(key, CLIENT_IP);
        if (!v.valid()) throw new AssertionError("expected a valid key, got " + v.code());
        return v.caller();
    }

    @Override
    public String toString() {
        return engine.name();
    }

    @Override
    public void close() {
        servitor.close();
    }
}
