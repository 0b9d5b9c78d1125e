// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.leak;

import dev.servitor.testing.TestDatabases.Engine;

class LeaksOnPostgresTest extends LeaksContract {
    @Override
    protected Engine engine() {
        return Engine.POSTGRES;
    }
}
