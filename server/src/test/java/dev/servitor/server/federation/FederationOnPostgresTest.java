// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.federation;

import dev.servitor.testing.TestDatabases.Engine;

class FederationOnPostgresTest extends FederationContract {
    @Override
    protected Engine engine() {
        return Engine.POSTGRES;
    }
}
