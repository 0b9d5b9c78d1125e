// SPDX-License-Identifier: Apache-2.0
package dev.servitor.webhook;

/** A new endpoint, or one with a new secret, and that signing secret: shown once, in this answer only. */
public record CreatedWebhook(WebhookEndpoint endpoint, String secret) {
    @Override
    public String toString() {
        return "CreatedWebhook[" + endpoint.id() + "]";
    }
}
