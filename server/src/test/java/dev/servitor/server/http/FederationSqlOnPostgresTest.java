// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.testing.TestDatabases.Engine;

class FederationSqlOnPostgresTest extends FederationSqlContract {
    @Override
    protected Engine engine() {
        return Engine.POSTGRES;
    }
}
