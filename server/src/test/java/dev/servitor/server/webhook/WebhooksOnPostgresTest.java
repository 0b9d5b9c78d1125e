// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.webhook;

import dev.servitor.testing.TestDatabases.Engine;

class WebhooksOnPostgresTest extends WebhooksContract {
    @Override
    protected Engine engine() {
        return Engine.POSTGRES;
    }
}
