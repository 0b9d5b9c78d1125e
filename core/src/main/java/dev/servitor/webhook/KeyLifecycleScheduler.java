// SPDX-License-Identifier: Apache-2.0
package dev.servitor.webhook;

import dev.servitor.apikey.ApiKeyStore;
import dev.servitor.audit.AuditLog;
import dev.servitor.caller.Caller;
import dev.servitor.store.CacheInvalidation;
import dev.servitor.store.Store;
import dev.servitor.store.Tx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's finder of time-based key events: {@code key.expiring} 7 days and 1 day before a key's
 * {@code expires_at}, {@code key.expired} once it has passed, and {@code key.dormant} (then revocation,
 * as the system) for a key unused for its organization's {@link DormancyPolicy}.
 *
 * <p>Each announcement is an audit event (actor {@code system}), so the {@link EventOutbox} turns it into
 * a webhook event for the endpoints that subscribe, in the same transaction as a {@code key_notices}
 * row whose primary key (key, kind) admits it once. Candidates are claimed like due deliveries (on
 * PostgreSQL {@code FOR UPDATE SKIP LOCKED}, on SQLite the single writer), and the notice insert is the
 * last word: with N nodes, and across restarts, each key gets each notice once. Time is the injected
 * clock's; a round runs every {@link #PERIOD}, and after a pause it catches up on what fell due.
 */
public final class KeyLifecycleScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeyLifecycleScheduler.class);
    public static final Duration PERIOD = Duration.ofMinutes(1);
    /**
     * How long after its expiry a key is still announced as expired: a cluster stopped for longer
     * does not flood its receivers with old news (nor does the first start after an upgrade).
     */
    static final Duration EXPIRED_CATCH_UP = Duration.ofDays(7);
    static final Duration FIRST_WARNING = Duration.ofDays(7);
    static final Duration LAST_WARNING = Duration.ofDays(1);
    /** Keys announced per transaction. */
    static final int BATCH = 100;

    static final String EXPIRING_7D = "expiring_7d";
    static final String EXPIRING_1D = "expiring_1d";
    static final String EXPIRED = "expired";
    static final String DORMANT = "dormant";

    private final Store store;
    private final AuditLog audit;
    private final CacheInvalidation cache;
    private final Clock clock;
    private volatile DormancyPolicy dormancy;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "key-lifecycle");
        t.setDaemon(true);
        return t;
    });

    public KeyLifecycleScheduler(Store store, AuditLog audit, CacheInvalidation cache, DormancyPolicy dormancy, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.cache = cache;
        this.dormancy = dormancy;
        this.clock = clock;
    }

    /** What one round announced. */
    public record Round(int expiring, int expired, int dormant) {}

    public void start() {
        timer.scheduleWithFixedDelay(this::runQuietly, 5, PERIOD.toSeconds(), TimeUnit.SECONDS);
    }

    /** Replaces where dormancy comes from (the composition root's wiring; tests set it directly). */
    public void dormancyPolicy(DormancyPolicy policy) {
        this.dormancy = policy;
    }

    private void runQuietly() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            LOG.warn("announcing key lifecycle events failed: {}", e.toString()); // the store may be away: the next round tries again
        }
    }

    /** One round at the clock's now: every notice due is written (in batches), by this node or another. */
    public Round runOnce() {
        Instant now = clock.instant();
        int expiring = announceExpiring(EXPIRING_7D, now.plus(LAST_WARNING), now.plus(FIRST_WARNING), FIRST_WARNING)
            + announceExpiring(EXPIRING_1D, now, now.plus(LAST_WARNING), LAST_WARNING);
        int expired = announceExpiring(EXPIRED, now.minus(EXPIRED_CATCH_UP), now, Duration.ZERO);
        int dormant = 0;
        for (String orgId : store.read(tx -> tx.table(KeyNoticeStore.class).orgsWithLiveKeys())) dormant += revokeDormant(orgId, now);
        return new Round(expiring, expired, dormant);
    }

    /** Announces {@code kind} for keys expiring in ({@code after}, {@code until}] that were created more than {@code lead} before. */
    private int announceExpiring(String kind, Instant after, Instant until, Duration lead) {
        int total = 0;
        while (true) {
            int[] claimed = new int[1];
            int announced = store.write(tx -> {
                List<KeyNoticeStore.Candidate> keys = tx.table(KeyNoticeStore.class).claimExpiring(kind, after, until, lead, BATCH);
                claimed[0] = keys.size();
                int count = 0;
                for (KeyNoticeStore.Candidate key : keys) {
                    if (!tx.table(KeyNoticeStore.class).record(key.keyId(), kind, key.orgId(), clock.instant())) continue;
                    Map<String, String> details = describe(key);
                    details.put("expires_at", key.expiresAt().toString());
                    String action = EXPIRED.equals(kind) ? "key.expired" : "key.expiring";
                    if (!EXPIRED.equals(kind)) details.put("days_left", Long.toString(lead.toDays()));
                    audit.append(tx, key.orgId(), Caller.system(), action, target(key), details);
                    count++;
                }
                return count;
            });
            total += announced;
            if (claimed[0] < BATCH || announced == 0) return total; // a full batch of keys another node had announced: stop
        }
    }

    /** Announces and revokes the organization's keys unused for its dormancy period, if it has one. */
    private int revokeDormant(String orgId, Instant now) {
        Integer days = store.read(tx -> dormancy.dormantAfterDays(tx, orgId)); // most have none: no write transaction for them
        if (days == null || days < 1) return 0;
        int total = 0;
        while (true) {
            int[] claimed = new int[1];
            int revoked = store.write(tx -> {
                List<KeyNoticeStore.Candidate> keys = tx.table(KeyNoticeStore.class)
                    .claimUnused(orgId, DORMANT, now.minus(Duration.ofDays(days)), now, BATCH);
                claimed[0] = keys.size();
                int count = 0;
                for (KeyNoticeStore.Candidate key : keys) {
                    if (revokeDormant(tx, key, days, now)) count++;
                }
                return count;
            });
            total += revoked;
            if (claimed[0] < BATCH || revoked == 0) return total;
        }
    }

    private boolean revokeDormant(Tx tx, KeyNoticeStore.Candidate key, int days, Instant now) {
        if (!tx.table(KeyNoticeStore.class).record(key.keyId(), DORMANT, key.orgId(), now)) return false;
        Map<String, String> details = describe(key);
        details.put("last_used_at", key.lastUsedAt() == null ? "never" : key.lastUsedAt().toString());
        details.put("dormant_after_days", Integer.toString(days));
        audit.append(tx, key.orgId(), Caller.system(), "key.dormant", target(key), details);
        cache.keysChanged(tx, tx.table(ApiKeyStore.class).revoke(key.keyId(), now));
        Map<String, String> revocation = describe(key);
        revocation.put("reason", "dormant");
        audit.append(tx, key.orgId(), Caller.system(), "key.revoke", target(key), revocation);
        return true;
    }

    private static Map<String, String> describe(KeyNoticeStore.Candidate key) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("key_id", key.keyId());
        details.put("name", key.name());
        return details;
    }

    /** As the audit log names a key: {@code service_account:ci-bot/key:key_…}. */
    private static String target(KeyNoticeStore.Candidate key) {
        return key.ownerKind().wire() + ":" + key.ownerName() + "/key:" + key.keyId();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
