// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.federation;

import dev.servitor.testing.TestDatabases.Engine;

class FederationOnSqliteTest extends FederationContract {
    @Override
    protected Engine engine() {
        return Engine.SQLITE;
    }
}
