// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.leak;

import dev.servitor.testing.TestDatabases.Engine;

class LeaksOnSqliteTest extends LeaksContract {
    @Override
    protected Engine engine() {
        return Engine.SQLITE;
    }
}
