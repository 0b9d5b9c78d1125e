// SPDX-License-Identifier: Apache-2.0
package dev.servitor.webhook;

import dev.servitor.audit.AuditLog;
import dev.servitor.caller.Caller;
import dev.servitor.authz.Authorizer;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.Ids;
import dev.servitor.common.Page;
import dev.servitor.common.PageRequest;
import dev.servitor.common.ServiceException;
import dev.servitor.directory.OrgStore;
import dev.servitor.outbound.OutboundHttp;
import dev.servitor.store.Store;
import dev.servitor.store.Tx;
import dev.servitor.token.MasterKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules of webhook endpoints (docs/api.md "Lifecycle events"): org admins manage them; a URL
 * is https (http only to loopback where allowed); events are known types or {@code *}; the
 * signing secret is shown once and kept encrypted with the master key; after a rotation the old
 * secret signs too for {@link #PREVIOUS_SECRET_FOR}. Every change is audited as {@code webhook.*}.
 */
public final class WebhookService {
    public static final Duration PREVIOUS_SECRET_FOR = Duration.ofHours(24);
    static final int MAX_DESCRIPTION_LENGTH = 1024;
    /** Endpoints per organization: each event is written once per subscriber, in the change's transaction. */
    static final int MAX_ENDPOINTS = 20;

    private final Store store;
    private final AuditLog audit;
    private final Authorizer authz;
    private final MasterKey master;
    private final OutboundHttp outbound;
    private final EventOutbox outbox;
    private final Clock clock;
    private static final int MAX_CLEAR_SECRETS = 10_000;
    private final java.util.Map<String, String> clearSecrets = new java.util.concurrent.ConcurrentHashMap<>();

    public WebhookService(Store store, AuditLog audit, Authorizer authz, MasterKey master, OutboundHttp outbound, EventOutbox outbox,
                          Clock clock) {
        this.store = store;
        this.audit = audit;
        this.authz = authz;
        this.master = master;
        this.outbound = outbound;
        this.outbox = outbox;
        this.clock = clock;
    }

    public CreatedWebhook create(Caller caller, NewWebhook req) {
        authz.requireOrgAdmin(caller, "webhook.create", "webhook:*");
        String url = url(req.url());
        List<String> events = events(req.events());
        String description = description(req.description());
        boolean disabled = Boolean.TRUE.equals(req.disabled());
        String secret = WebhookSignature.newSecret();
        return store.write(tx -> {
            tx.table(OrgStore.class).lock(caller.orgId()); // the count below holds against parallel creates
            outbox.catchUp(tx, caller.orgId()); // earlier events go to the endpoints as they were
            if (tx.table(WebhookStore.class).listEndpoints(caller.orgId(), PageRequest.first(MAX_ENDPOINTS)).size() >= MAX_ENDPOINTS) {
                throw new ServiceException(ErrorCode.QUOTA_EXCEEDED, "An organization has at most " + MAX_ENDPOINTS + " webhook endpoints");
            }
            Instant now = clock.instant();
            String id = Ids.newId("wh");
            WebhookEndpoint e = new WebhookEndpoint(id, caller.orgId(), url, events, description, disabled, disabled ? "admin" : null,
                master.encrypt(secret, aad(id)), null, null, null, now, now, caller.auditActor());
            tx.table(WebhookStore.class).insertEndpoint(e);
            audit.append(tx, caller.orgId(), caller, "webhook.create", target(id), settings(e));
            tx.table(WebhookStore.class).startCursor(caller.orgId()); // the first endpoint's events start here
            return new CreatedWebhook(e, secret);
        });
    }

    public Page<WebhookEndpoint> list(Caller caller, PageRequest page) {
        authz.requireOrgAdmin(caller, "webhook.list", "webhook:*");
        return Page.of(store.read(tx -> tx.table(WebhookStore.class).listEndpoints(caller.orgId(), page)), page, WebhookEndpoint::id);
    }

    public WebhookEndpoint get(Caller caller, String id) {
        authz.requireOrgAdmin(caller, "webhook.get", target(id));
        return store.read(tx -> find(tx, caller.orgId(), id));
    }

    public WebhookEndpoint update(Caller caller, String id, WebhookPatch patch) {
        authz.requireOrgAdmin(caller, "webhook.update", target(id));
        String url = patch.url() == null ? null : url(patch.url());
        List<String> events = patch.events() == null ? null : events(patch.events());
        String description = patch.description() == null ? null : description(patch.description());
        return store.write(tx -> {
            WebhookEndpoint e = find(tx, caller.orgId(), id);
            outbox.catchUp(tx, caller.orgId()); // earlier events go to the endpoints as they were
            WebhookEndpoint next = e.withSettings(url != null ? url : e.url(), events != null ? events : e.events(),
                description != null ? description : e.description(), patch.disabled(), clock.instant());
            tx.table(WebhookStore.class).updateEndpoint(next);
            audit.append(tx, caller.orgId(), caller, "webhook.update", target(id), settings(next));
            return next;
        });
    }

    /** Deletes the endpoint; its deliveries, pending ones included, go with it. */
    public void delete(Caller caller, String id) {
        authz.requireOrgAdmin(caller, "webhook.delete", target(id));
        store.write(tx -> {
            find(tx, caller.orgId(), id);
            outbox.catchUp(tx, caller.orgId()); // earlier events go to the endpoints as they were
            tx.table(WebhookStore.class).deleteEndpoint(id);
            audit.append(tx, caller.orgId(), caller, "webhook.delete", target(id), Map.of());
            return null;
        });
    }

    /** A new signing secret, shown once; the old one still signs for {@link #PREVIOUS_SECRET_FOR}. */
    public CreatedWebhook rotateSecret(Caller caller, String id) {
        authz.requireOrgAdmin(caller, "webhook.rotate_secret", target(id));
        authz.requireNotImpersonating(caller, "webhook.rotate_secret", target(id));
        String secret = WebhookSignature.newSecret();
        return store.write(tx -> {
            WebhookEndpoint e = find(tx, caller.orgId(), id);
            Instant now = clock.instant();
            WebhookEndpoint next = e.withSecret(master.encrypt(secret, aad(id)), now.plus(PREVIOUS_SECRET_FOR), now);
            tx.table(WebhookStore.class).updateEndpoint(next);
            audit.append(tx, caller.orgId(), caller, "webhook.rotate_secret", target(id),
                Map.of("previous_secret_until", next.previousExpiresAt().toString()));
            return new CreatedWebhook(next, secret);
        });
    }

    /** Queues a {@code webhook.test} event for this endpoint only. 409 {@code webhook_disabled} while it is disabled. */
    public WebhookEvent sendTest(Caller caller, String id) {
        authz.requireOrgAdmin(caller, "webhook.test", target(id));
        return store.write(tx -> {
            WebhookEndpoint e = find(tx, caller.orgId(), id);
            if (e.disabled()) throw new ServiceException(ErrorCode.WEBHOOK_DISABLED, "The endpoint is disabled; enable it first");
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("organization_id", caller.orgId());
            data.put("webhook_id", id);
            data.put("requested_by", caller.auditActor());
            WebhookEvent event = outbox.publish(tx, caller.orgId(), EventTypes.TEST, data, List.of(e));
            audit.append(tx, caller.orgId(), caller, "webhook.test", target(id), Map.of("event_id", event.id()));
            return event;
        });
    }

    public Page<Delivery> deliveries(Caller caller, String id, PageRequest page) {
        authz.requireOrgAdmin(caller, "webhook.deliveries", target(id));
        return Page.of(store.read(tx -> {
            find(tx, caller.orgId(), id);
            return tx.table(WebhookStore.class).listDeliveries(id, page.after(), page.size() + 1);
        }), page, Delivery::id);
    }

    /** Makes a delivery due now again (a failed one gets a fresh day of retries from now on). */
    public Delivery retry(Caller caller, String id, String deliveryId) {
        authz.requireOrgAdmin(caller, "webhook.retry", target(id));
        return store.write(tx -> {
            find(tx, caller.orgId(), id);
            Delivery d = tx.table(WebhookStore.class).findDelivery(caller.orgId(), id, deliveryId)
                .orElseThrow(() -> new ServiceException(ErrorCode.NOT_FOUND, "No delivery '" + deliveryId + "' for this webhook"));
            Instant now = clock.instant();
            tx.table(WebhookStore.class).recordAttempt(d.id(), Delivery.PENDING, d.attempts(), now, d.responseStatus(), d.lastError(), d.deliveredAt());
            audit.append(tx, caller.orgId(), caller, "webhook.retry", target(id), Map.of("delivery_id", d.id()));
            tx.afterCommit(outbox::wakeWorker);
            return new Delivery(d.id(), d.eventId(), d.eventType(), d.endpointId(), d.orgId(), Delivery.PENDING, d.attempts(), now,
                d.responseStatus(), d.lastError(), d.deliveredAt(), d.createdAt());
        });
    }

    /** The secrets that sign now: the current one, and the previous one until it expires. */
    List<String> signingSecrets(WebhookEndpoint e, Instant now) {
        List<String> secrets = new ArrayList<>();
        secrets.add(decrypted(e.id(), e.secretEnc()));
        if (e.previousSecretEnc() != null && e.previousExpiresAt() != null && now.isBefore(e.previousExpiresAt())) {
            secrets.add(decrypted(e.id(), e.previousSecretEnc()));
        }
        return secrets;
    }

    /**
     * A signing secret in the clear, decrypted once per ciphertext (a rotation makes a new one): each delivery needs it,
     * and decrypting cost ~10 % of a sender's CPU. Held like the master key it is derived from: in this process only.
     */
    private String decrypted(String endpointId, String secretEnc) {
        String key = endpointId + " " + secretEnc; // the associated data binds a ciphertext to its endpoint: so does the key
        String secret = clearSecrets.get(key);
        if (secret == null) {
            secret = master.decrypt(secretEnc, aad(endpointId));
            if (clearSecrets.size() >= MAX_CLEAR_SECRETS) clearSecrets.clear();
            clearSecrets.put(key, secret);
        }
        return secret;
    }

    private static String aad(String endpointId) {
        return "webhook:" + endpointId;
    }

    private static WebhookEndpoint find(Tx tx, String orgId, String id) {
        return tx.table(WebhookStore.class).findEndpoint(orgId, id)
            .orElseThrow(() -> new ServiceException(ErrorCode.NOT_FOUND, "No webhook '" + id + "'"));
    }

    private String url(String url) {
        if (url == null) throw ServiceException.field(ErrorCode.MISSING_FIELD, "url", "url is required");
        String refused = outbound.refusal(url);
        if (refused != null) throw ServiceException.field(ErrorCode.INVALID_VALUE, "url", "url " + refused);
        return url;
    }

    private static List<String> events(List<String> events) {
        if (events == null || events.isEmpty()) {
            throw ServiceException.field(ErrorCode.MISSING_FIELD, "events", "events must name at least one event type, or *");
        }
        List<String> out = new ArrayList<>();
        for (String type : events) {
            if (type == null || !(type.equals("*") || EventTypes.isKnown(type))) {
                throw ServiceException.field(ErrorCode.INVALID_VALUE, "events", "Unknown event type '" + type + "'; known: *, "
                    + String.join(", ", EventTypes.ALL));
            }
            if (!out.contains(type)) out.add(type);
        }
        return out.contains("*") ? List.of("*") : List.copyOf(out);
    }

    private static String description(String d) {
        if (d == null) return "";
        if (d.length() > MAX_DESCRIPTION_LENGTH) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, "description", "description must be at most " + MAX_DESCRIPTION_LENGTH + " characters");
        }
        return d;
    }

    private static Map<String, String> settings(WebhookEndpoint e) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("url", e.url());
        d.put("events", String.join(" ", e.events()));
        d.put("disabled", Boolean.toString(e.disabled()));
        return d;
    }

    private static String target(String id) {
        return "webhook:" + id;
    }
}
