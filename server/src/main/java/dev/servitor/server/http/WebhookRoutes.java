// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static dev.servitor.server.http.CredentialGate.caller;

import dev.servitor.webhook.CreatedWebhook;
import dev.servitor.webhook.NewWebhook;
import dev.servitor.webhook.WebhookEvent;
import dev.servitor.webhook.WebhookPatch;
import dev.servitor.webhook.WebhookService;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Set;

/** {@code /v1/webhooks}: parse, one service call, render. */
final class WebhookRoutes {
    static final String BASE = "/v1/webhooks";
    private static final Set<String> FIELDS = Set.of("url", "events", "description", "disabled");

    private final WebhookService webhooks;

    WebhookRoutes(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    void register(JavalinConfig config) {
        config.routes.post(BASE, this::create);
        config.routes.get(BASE, ctx -> Json.write(ctx, 200,
            ListResponse.of("webhooks", webhooks.list(caller(ctx), QueryParams.page(ctx)), WebhookResponse::of)));
        config.routes.get(BASE + "/{id}", ctx -> Json.write(ctx, 200, WebhookResponse.of(webhooks.get(caller(ctx), ctx.pathParam("id")))));
        config.routes.patch(BASE + "/{id}", this::update);
        config.routes.delete(BASE + "/{id}", ctx -> {
            webhooks.delete(caller(ctx), ctx.pathParam("id"));
            ctx.status(204);
        });
        config.routes.post(BASE + "/{id}/rotate-secret", ctx -> {
            CreatedWebhook rotated = webhooks.rotateSecret(caller(ctx), ctx.pathParam("id"));
            Json.writeSecret(ctx, 200, WebhookResponse.of(rotated.endpoint(), rotated.secret()));
        });
        config.routes.post(BASE + "/{id}/test", ctx -> {
            WebhookEvent event = webhooks.sendTest(caller(ctx), ctx.pathParam("id"));
            Json.write(ctx, 202, Map.of("event_id", event.id(), "type", event.type()));
        });
        config.routes.get(BASE + "/{id}/deliveries", ctx -> Json.write(ctx, 200, ListResponse.of("deliveries",
            webhooks.deliveries(caller(ctx), ctx.pathParam("id"), QueryParams.page(ctx)), WebhookResponse.DeliveryResponse::of)));
        config.routes.post(BASE + "/{id}/deliveries/{delivery_id}/retry", ctx -> Json.write(ctx, 202,
            WebhookResponse.DeliveryResponse.of(webhooks.retry(caller(ctx), ctx.pathParam("id"), ctx.pathParam("delivery_id")))));
    }

    private void create(Context ctx) {
        JsonBody b = JsonBody.read(ctx, FIELDS);
        CreatedWebhook created = webhooks.create(caller(ctx), new NewWebhook(b.string("url"), b.strings("events"),
            b.string("description"), b.bool("disabled")));
        Json.writeSecret(ctx, 201, WebhookResponse.of(created.endpoint(), created.secret()));
    }

    private void update(Context ctx) {
        JsonBody b = JsonBody.read(ctx, FIELDS);
        WebhookPatch patch = new WebhookPatch(b.string("url"), b.strings("events"), b.string("description"), b.bool("disabled"));
        Json.write(ctx, 200, WebhookResponse.of(webhooks.update(caller(ctx), ctx.pathParam("id"), patch)));
    }
}
