// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.webhook;

import dev.servitor.testing.TestDatabases.Engine;

class WebhooksOnSqliteTest extends WebhooksContract {
    @Override
    protected Engine engine() {
        return Engine.SQLITE;
    }
}
