// SPDX-License-Identifier: Apache-2.0
package dev.servitor.webhook;

import dev.servitor.audit.AuditLog;
import dev.servitor.caller.Caller;
import dev.servitor.outbound.OutboundHttp;
import dev.servitor.store.Store;
import dev.servitor.store.Tx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's sender of webhook deliveries. One thread runs a round every second, or {@link
 * #GATHER_MS} after a commit wrote an event (so that under load one round takes the events of many
 * commits, and the worker's transactions do not compete with every request's for SQLite's one
 * writer): it {@link EventOutbox#relay relays} new audit events into deliveries and claims due
 * deliveries ({@link WebhookStore#claimDue}: each belongs to this node for {@link
 * DeliveryPolicy#LEASE}, so N nodes send each attempt once); a few sender threads make the calls,
 * so a slow receiver never delays a request (though {@link #SENDERS} hanging calls delay every endpoint's deliveries).
 * <p>While the node is busy serving requests ({@link #yieldWhileBusy}), delivery is background work
 * that waits: a round then takes only events and deliveries that have waited the longest delay
 * allowed, so a burst of changes is served first and its events follow it, at most that delay late.
 * A node that dies mid-call leaves its claims to expire; another node (or this one restarted)
 * sends them again with the same {@code webhook-id}: delivery is at least once.
 */
public final class DeliveryWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);
    static final int SENDERS = 4;
    /** Deliveries claimed and not yet recorded, at most: what one node holds during a receiver's outage. */
    static final int IN_FLIGHT = 64;
    /** How long a wake-up waits before it claims, gathering the deliveries of the commits that follow it. */
    static final long GATHER_MS = 20;
    static final String USER_AGENT = "Servitor-Webhooks/1";

    private final Store store;
    private final WebhookService webhooks;
    private final OutboundHttp http;
    private final DeliveryPolicy policy;
    private final AuditLog audit;
    private final Clock clock;
    private final Semaphore free = new Semaphore(IN_FLIGHT);
    private final EventOutbox outbox;
    private volatile BooleanSupplier busy = () -> false;
    private volatile Duration maxDefer = Duration.ZERO;
    /** While yielding, the earliest time an event left by a round becomes due (null: relay every round). */
    private volatile Instant nextRelay;
    private final AtomicBoolean claimQueued = new AtomicBoolean();
    /** Calls made and not yet recorded; the claim thread writes them, with its next claim, in one transaction. */
    private final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();

    /** What one call got: an answer's status, or the error that stood for it (null when delivered). */
    private record Outcome(WebhookStore.Claimed claimed, Integer status, String error) {}
    private final ScheduledExecutorService claims;
    private final ExecutorService senders;

    public DeliveryWorker(Store store, WebhookService webhooks, EventOutbox outbox, OutboundHttp http, DeliveryPolicy policy,
                          AuditLog audit, Clock clock) {
        this.store = store;
        this.outbox = outbox;
        this.webhooks = webhooks;
        this.http = http;
        this.policy = policy;
        this.audit = audit;
        this.clock = clock;
        this.claims = Executors.newSingleThreadScheduledExecutor(daemon("webhook-claims"));
        this.senders = Executors.newFixedThreadPool(SENDERS, daemon("webhook-sender"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public void start() {
        claims.scheduleWithFixedDelay(this::claimQuietly, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * From now on, while {@code busy} says the node is busy serving requests, events and deliveries wait until they are
     * {@code maxDefer} old (zero: never wait).
     */
    public void yieldWhileBusy(BooleanSupplier busy, Duration maxDefer) {
        this.busy = busy;
        this.maxDefer = maxDefer;
    }

    private boolean yielding() {
        return !maxDefer.isZero() && busy.getAsBoolean();
    }

    /** Runs a round soon, on the worker's thread (called after a commit that wrote an event); while busy, the next tick does. */
    public void wake() {
        if (!yielding()) soon();
    }

    /** Runs a round {@link #GATHER_MS} from now, unless one is already coming (what is overdue goes on while busy). */
    private void soon() {
        if (claimQueued.compareAndSet(false, true)) {
            try {
                claims.schedule(this::claimQuietly, GATHER_MS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                claimQueued.set(false);
            }
        }
    }

    private void claimQuietly() {
        claimQueued.set(false);
        try {
            claimAndSend();
        } catch (RuntimeException e) {
            LOG.warn("claiming webhook deliveries failed: {}", e.toString()); // the store may be away: the next tick tries again
        }
    }

    /**
     * One round, one transaction: relays new events, records the outcomes of the calls made since
     * the last round, then claims as many due deliveries as there are free senders' slots, and hands them
     * to the senders. While the node is busy, only what has waited {@code maxDefer} is relayed and claimed.
     */
    void claimAndSend() {
        List<Outcome> done = new ArrayList<>();
        for (Outcome o; (o = outcomes.poll()) != null; ) done.add(o);
        int slots = free.drainPermits();
        List<WebhookStore.Claimed> claimed;
        boolean more;
        try {
            Instant now = clock.instant();
            boolean yielding = yielding();
            Instant dueBy = yielding ? now.minus(maxDefer) : now;
            Instant relayFrom = nextRelay; // while yielding, nothing is due for relay before it
            boolean relaying = !yielding || relayFrom == null || !now.isBefore(relayFrom);
            record Round(EventOutbox.Relayed relayed, List<WebhookStore.Claimed> claimed) {}
            Round round = store.write(tx -> {
                // relayed first: cursor rows are locked before endpoint rows, in the order an endpoint's change takes them
                EventOutbox.Relayed relayed = relaying ? outbox.relay(tx, dueBy) : null;
                recordAll(tx, done, now);
                return new Round(relayed, slots == 0 ? List.<WebhookStore.Claimed>of()
                    : tx.table(WebhookStore.class).claimDue(dueBy, now.plus(DeliveryPolicy.LEASE), slots));
            });
            claimed = round.claimed();
            more = round.relayed() != null && round.relayed().more();
            if (round.relayed() != null) { // with more to look at, the next round relays whatever the time
                Instant left = round.relayed().firstLeft();
                nextRelay = left == null || round.relayed().more() ? null : left.plus(maxDefer);
            }
        } catch (RuntimeException e) {
            free.release(slots);
            throw e; // the outcomes are lost with the transaction: their leases run out and the deliveries go again
        }
        free.release(slots - claimed.size());
        for (WebhookStore.Claimed c : claimed) {
            try {
                senders.execute(() -> {
                    try {
                        send(c);
                    } catch (RuntimeException e) {
                        LOG.warn("sending webhook delivery {} failed: {}", c.delivery().id(), e.toString()); // the lease runs out; it is sent again
                    } finally {
                        free.release();
                        soon(); // records the outcome, and claims more while there are
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                free.release();
            }
        }
        if (more || (!claimed.isEmpty() && claimed.size() == slots)) soon(); // more to relay, or every slot filled: more may be due
    }

    /** The longest a call may take (OutboundHttp's deadline for webhooks). */
    public static final Duration CALL_DEADLINE = Duration.ofSeconds(10);

    /**
     * Sends one delivery; its outcome is recorded by the next round. A delivery that waited here so long that its claim
     * would run out during the call is left alone: its lease runs out and it is claimed again (by any node), rather than
     * sent twice at once.
     */
    void send(WebhookStore.Claimed c) {
        WebhookEndpoint endpoint = c.endpoint();
        WebhookEvent event = c.event();
        Instant now = clock.instant();
        if (now.plus(CALL_DEADLINE).isAfter(c.delivery().nextAttemptAt())) return; // nextAttemptAt is the claim's end
        List<String> secrets = webhooks.signingSecrets(endpoint, now);
        long timestamp = now.getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", USER_AGENT);
        headers.put("webhook-id", event.id());
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", WebhookSignature.sign(event.id(), timestamp, event.payload(), secrets.toArray(new String[0])));
        Integer status = null;
        String error = null;
        try {
            OutboundHttp.Answer answer = http.post(endpoint.url(), headers, event.payload());
            status = answer.status();
            if (!answer.successful()) error = "HTTP " + answer.status();
        } catch (OutboundHttp.CallFailed e) {
            error = e.getMessage();
        }
        if (Thread.currentThread().isInterrupted()) return; // the node is stopping: the lease runs out and any node sends it again
        outcomes.add(new Outcome(c, status, error));
    }

    /** Writes the calls' outcomes: the delivered ones in one batch, each other one by itself. */
    private void recordAll(Tx tx, List<Outcome> done, Instant now) {
        List<Delivery> delivered = new ArrayList<>();
        List<Integer> statuses = new ArrayList<>();
        Map<String, WebhookEndpoint> recovered = new LinkedHashMap<>();
        for (Outcome o : done) {
            if (o.error() != null) {
                record(tx, o, now);
                continue;
            }
            delivered.add(o.claimed().delivery());
            statuses.add(o.status());
            WebhookEndpoint endpoint = o.claimed().endpoint();
            if (endpoint.failingSince() != null) recovered.put(endpoint.id(), endpoint);
        }
        WebhookStore table = tx.table(WebhookStore.class);
        table.recordDelivered(delivered, statuses, now);
        for (WebhookEndpoint endpoint : recovered.values()) table.markHealth(endpoint.id(), null, null, now);
    }

    /** Writes one failed call's outcome: due again with backoff, or failed for good; the endpoint's health. */
    private void record(Tx tx, Outcome o, Instant now) {
        Delivery d = o.claimed().delivery();
        WebhookEndpoint endpoint = o.claimed().endpoint();
        WebhookStore table = tx.table(WebhookStore.class);
        int attempts = d.attempts() + 1;
        Instant next = policy.nextAttempt(attempts, o.claimed().event().createdAt(), now);
        table.recordAttempt(d.id(), next == null ? Delivery.FAILED : Delivery.PENDING, attempts, next, o.status(), o.error(), null);
        Instant failingSince = endpoint.failingSince() != null ? endpoint.failingSince() : now;
        if (policy.shouldDisable(failingSince, now)) {
            table.markHealth(endpoint.id(), failingSince, "failing", now);
            audit.append(tx, endpoint.orgId(), Caller.system(), "webhook.disable", "webhook:" + endpoint.id(),
                Map.of("reason", "every delivery failed since " + failingSince, "last_error", o.error()));
        } else if (endpoint.failingSince() == null) {
            table.markHealth(endpoint.id(), failingSince, null, now);
        }
    }

    @Override
    public void close() {
        claims.shutdownNow();
        senders.shutdownNow();
    }
}
