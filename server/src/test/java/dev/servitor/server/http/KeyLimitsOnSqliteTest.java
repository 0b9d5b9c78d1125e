// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.testing.TestDatabases.Engine;

class KeyLimitsOnSqliteTest extends KeyLimitsContract {
    @Override
    protected Engine engine() {
        return Engine.SQLITE;
    }
}
