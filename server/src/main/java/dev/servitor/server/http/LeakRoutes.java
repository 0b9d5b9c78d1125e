// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import dev.servitor.leak.LeakResponse;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two ways a leaked credential reaches Servitor (docs/api.md "Leaked credentials",
 * docs/leaks.md). Neither takes a credential in {@code Authorization}: the {@link CredentialGate}
 * lets them through unauthenticated ({@link RoutePermissions#ANONYMOUS}).
 * <ul>
 * <li>{@code POST /v1/leaks/github}: GitHub's secret-scanning partner call. The signature over
 * the raw body is checked first, before the body is even parsed; only a request GitHub signed
 * learns, per token, whether it was a real credential.
 * <li>{@code POST /v1/leaks/report}: anyone's report. Always 202 (past the per-address limit,
 * 429), and the lookup runs later on a worker thread, in a batch once a second, so neither the
 * answer nor its timing tells whether the credential exists.
 * </ul>
 */
final class LeakRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(LeakRoutes.class);
    static final String GITHUB = "/v1/leaks/github";
    static final String REPORT = "/v1/leaks/report";
    static final String KEY_IDENTIFIER = "Github-Public-Key-Identifier";
    static final String KEY_SIGNATURE = "Github-Public-Key-Signature";
    /** Reports queued for the worker; past this, reports are dropped (and counted), never answered differently. */
    static final int MAX_QUEUED_REPORTS = 10_000;
    private static final int MAX_FIELD_CHARS = 4096;
    private static final Set<String> REPORT_FIELDS = Set.of("credential", "url");

    private final LeakResponse leaks;
    private final GitHubScanningKeys keys;
    private final LeakReportLimiter limiter;
    private final ClientAddress addresses;
    private final AtomicLong dropped = new AtomicLong();
    /** Reports waiting for the next tick of the worker. */
    private final ArrayBlockingQueue<LeakResponse.Report> queued = new ArrayBlockingQueue<>(MAX_QUEUED_REPORTS);
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "servitor-leak-reports");
        t.setDaemon(true);
        return t;
    });

    LeakRoutes(LeakResponse leaks, GitHubScanningKeys keys, LeakReportLimiter limiter, ClientAddress addresses) {
        this.leaks = leaks;
        this.keys = keys;
        this.limiter = limiter;
        this.addresses = addresses;
        // reports are looked up in batches once a second, not one by one as they arrive: the work a
        // live credential causes (revocation, audit, event) is then not tied to its own request in time
        worker.scheduleWithFixedDelay(this::drain, REPORT_TICK_MILLIS, REPORT_TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** How often queued reports are looked up. */
    static final long REPORT_TICK_MILLIS = 1000;

    private void drain() {
        List<LeakResponse.Report> batch = new ArrayList<>();
        queued.drainTo(batch);
        for (LeakResponse.Report r : batch) {
            try {
                leaks.handle(r);
            } catch (RuntimeException e) {
                LOG.warn("a leak report could not be handled: {}", e.toString());
            }
        }
    }

    void register(JavalinConfig config) {
        config.routes.post(GITHUB, this::github);
        config.routes.post(REPORT, this::report);
    }

    void close() {
        worker.shutdownNow();
    }

    private void github(Context ctx) {
        byte[] body = JsonBody.readBounded(ctx);
        String identifier = ctx.header(KEY_IDENTIFIER);
        String signature = ctx.header(KEY_SIGNATURE);
        if (identifier == null || signature == null) {
            throw new ServiceException(ErrorCode.UNAUTHENTICATED, "Send the " + KEY_IDENTIFIER + " and " + KEY_SIGNATURE + " headers");
        }
        if (!keys.verifies(identifier, signature, body)) {
            throw new ServiceException(ErrorCode.FORBIDDEN, "The payload's signature does not verify under GitHub's keys");
        }
        List<Map<String, Object>> answer = new ArrayList<>();
        for (Match m : matches(body)) {
            LeakResponse.Verdict verdict = leaks.handle(new LeakResponse.Report(m.token(), m.url(), m.source()));
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("token_raw", m.token());
            item.put("token_type", m.type());
            item.put("label", verdict.wire());
            answer.add(item);
        }
        Json.write(ctx, 200, answer);
    }

    /** One reported token: GitHub's {@code token}, {@code type}, {@code url} and {@code source}. */
    private record Match(String token, String type, String url, String source) {}

    private static List<Match> matches(byte[] body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            throw new ServiceException(ErrorCode.MALFORMED_REQUEST, "The body is not JSON", "body", null);
        }
        if (root == null || !root.isArray()) {
            throw ServiceException.field(ErrorCode.INVALID_FIELD_TYPE, "body", "The body must be a JSON array of matches");
        }
        if (root.size() > JsonBody.MAX_ITEMS) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, "body", "At most " + JsonBody.MAX_ITEMS + " matches per request");
        }
        List<Match> matches = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode m = root.get(i);
            String field = "[" + i + "].token";
            if (m == null || !m.isObject() || !m.path("token").isTextual()) {
                throw ServiceException.field(ErrorCode.MISSING_FIELD, field, "Match " + i + " has no 'token' string");
            }
            matches.add(new Match(m.get("token").textValue(), text(m, "type"), text(m, "url"), sourceOf(m)));
        }
        return matches;
    }

    private static String text(JsonNode m, String field) {
        JsonNode v = m.get(field);
        if (v == null || !v.isTextual()) return null;
        String s = v.textValue();
        return s.length() > MAX_FIELD_CHARS ? s.substring(0, MAX_FIELD_CHARS) : s;
    }

    private static String sourceOf(JsonNode m) {
        String source = text(m, "source");
        return source == null ? "github" : "github:" + source;
    }

    private void report(Context ctx) {
        long wait = limiter.acquire(addresses.of(ctx));
        if (wait > 0) {
            JsonBody.discardUnread(ctx);
            throw Refusal.tooManyReports(wait);
        }
        JsonBody b = JsonBody.read(ctx, REPORT_FIELDS);
        String credential = b.string("credential", MAX_FIELD_CHARS);
        if (credential == null) throw ServiceException.field(ErrorCode.MISSING_FIELD, "credential", "'credential' is required");
        String url = b.string("url", MAX_FIELD_CHARS);
        // the lookup happens later, on the worker: the answer and its timing are the same for every credential
        if (!queued.offer(new LeakResponse.Report(credential, url, "report"))) dropped.incrementAndGet();
        Json.write(ctx, 202, Map.of("status", "received"));
    }

    /** Reports dropped because the queue was full (for the logs and tests). */
    long droppedReports() {
        return dropped.get();
    }
}
