// SPDX-License-Identifier: Apache-2.0
package dev.servitor.testing;

import dev.servitor.Servitor;
import dev.servitor.caller.Caller;
import dev.servitor.testing.TestDatabases.Engine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the core contract tests: one {@link TestServitor} per test class on the engine the
 * concrete subclass names, with the bootstrap admin as caller, so the same assertions run on
 * SQLite and PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class EngineContract {
    protected TestServitor t;
    protected Servitor servitor;
    protected Caller admin;
    protected MutableClock clock;

    protected abstract Engine engine();

    @BeforeAll
    void startServitor() {
        t = TestServitor.start(engine());
        servitor = t.servitor();
        admin = t.admin();
        clock = t.clock();
    }

    @AfterAll
    void stopServitor() {
        if (t != null) t.close();
    }
}
