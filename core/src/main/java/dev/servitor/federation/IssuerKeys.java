// SPDX-License-Identifier: Apache-2.0
package dev.servitor.federation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.servitor.outbound.OutboundHttp;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing keys of each issuer, cached on this node. An issuer with an inline JWKS is never
 * fetched. Otherwise its keys come from its {@code jwks_uri} (or the one its discovery document
 * names) through {@link OutboundHttp}: https only (http to loopback only when allowed), public
 * addresses only unless configured, no redirects, {@link #TIMEOUT} per call and {@link #MAX_BYTES}.
 * <p>
 * A fetch happens when no keys are held, when a token names a {@code kid} that is not held, or
 * when the keys held are older than {@link #REFRESH_AFTER}; but at most once per
 * {@link #MIN_INTERVAL} per issuer, whatever the outcome, so a flood of tokens with made-up
 * {@code kid}s costs the issuer one request a minute. A failed fetch keeps the keys already held:
 * a node that cannot reach an issuer goes on accepting tokens signed with keys it has. Fetches of
 * one issuer are serialized; the request that waits for one waits at most the fetch's deadline.
 */
public final class IssuerKeys {
    private static final Logger LOG = LoggerFactory.getLogger(IssuerKeys.class);
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final int MAX_BYTES = 64 * 1024;
    static final Duration MIN_INTERVAL = Duration.ofMinutes(1);
    static final Duration REFRESH_AFTER = Duration.ofMinutes(10);

    private final OutboundHttp http;
    private final Clock clock;
    private final Map<String, Held> byIssuer = new ConcurrentHashMap<>();
    private final AtomicLong fetches = new AtomicLong();

    public IssuerKeys(OutboundHttp http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    /** What this node holds of one issuer, for one version of its settings. */
    private static final class Held {
        String version;
        JWKSet keys;
        Instant fetchedAt;
        Instant lastAttempt;
    }

    /** Why {@code url} may not be fetched from, or null (the scheme and form; the address is checked when fetching). */
    public String refusal(String url) {
        return http.refusal(url);
    }

    /** How many fetches this node has attempted (for metrics and tests). */
    public long fetches() {
        return fetches.get();
    }

    /**
     * The key {@code kid} of {@code issuer} (with no {@code kid}: the issuer's only key), or a
     * {@link FederationRefusal}: {@code unknown_kid}, or {@code keys_unavailable} when no key
     * could ever be had.
     */
    JWK key(FederationIssuer issuer, String kid) {
        if (issuer.jwks() != null) return pick(parseInline(issuer.jwks()), kid);
        Held held = byIssuer.computeIfAbsent(issuer.id(), id -> new Held());
        synchronized (held) {
            String version = issuer.updatedAt().toEpochMilli() + " " + issuer.issuerUrl() + " " + issuer.jwksUri();
            if (!version.equals(held.version)) {
                held.version = version;
                held.keys = null;
                held.fetchedAt = null;
                held.lastAttempt = null;
            }
            Instant now = clock.instant();
            boolean missing = held.keys == null || (kid != null && held.keys.getKeyByKeyId(kid) == null);
            boolean stale = held.fetchedAt != null && !now.isBefore(held.fetchedAt.plus(REFRESH_AFTER));
            boolean mayFetch = held.lastAttempt == null || !now.isBefore(held.lastAttempt.plus(MIN_INTERVAL));
            if ((missing || stale) && mayFetch) fetch(issuer, held, now);
            if (held.keys == null) throw new FederationRefusal("keys_unavailable");
            return pick(held.keys, kid);
        }
    }

    /** Forgets what this node holds of an issuer (deleted or changed). */
    void forget(String issuerId) {
        byIssuer.remove(issuerId);
    }

    private void fetch(FederationIssuer issuer, Held held, Instant now) {
        held.lastAttempt = now;
        fetches.incrementAndGet();
        try {
            String jwksUri = issuer.jwksUri() != null ? issuer.jwksUri() : discover(issuer.issuerUrl());
            OutboundHttp.Answer a = http.get(jwksUri, Map.of("Accept", "application/json"), MAX_BYTES);
            if (!a.successful()) throw new IllegalStateException("the key set answered " + a.status());
            held.keys = JWKSet.parse(a.body());
            held.fetchedAt = now;
        } catch (OutboundHttp.CallFailed | ParseException | RuntimeException e) {
            // keep what is held: an issuer that is down must not stop tokens signed with keys we have
            LOG.warn("cannot fetch the keys of issuer {} ({}): {}", issuer.name(), issuer.issuerUrl(), e.getMessage());
        }
    }

    private String discover(String issuerUrl) throws OutboundHttp.CallFailed, ParseException {
        String url = (issuerUrl.endsWith("/") ? issuerUrl.substring(0, issuerUrl.length() - 1) : issuerUrl)
            + "/.well-known/openid-configuration";
        OutboundHttp.Answer a = http.get(url, Map.of("Accept", "application/json"), MAX_BYTES);
        if (!a.successful()) throw new IllegalStateException("the discovery document answered " + a.status());
        Map<String, Object> doc = JSONObjectUtils.parse(a.body());
        // OpenID Connect Discovery 1.0 section 4.3: the document must name the very issuer asked about
        if (!issuerUrl.equals(JSONObjectUtils.getString(doc, "issuer"))) {
            throw new IllegalStateException("the discovery document names another issuer");
        }
        String jwksUri = JSONObjectUtils.getString(doc, "jwks_uri");
        if (jwksUri == null) throw new IllegalStateException("the discovery document has no jwks_uri");
        return jwksUri;
    }

    /** Inline key sets parsed once: parsing (JSON, then the keys' numbers) would otherwise be most of an exchange's work. */
    private static final Cache<String, JWKSet> INLINE = Caffeine.newBuilder().maximumSize(10_000).build();

    private static JWKSet parseInline(String jwks) {
        JWKSet cached = INLINE.getIfPresent(jwks);
        if (cached != null) return cached;
        try {
            JWKSet parsed = JWKSet.parse(jwks);
            INLINE.put(jwks, parsed);
            return parsed;
        } catch (ParseException e) {
            throw new FederationRefusal("keys_unavailable"); // checked when written; cannot happen short of a hand-edited row
        }
    }

    private static JWK pick(JWKSet keys, String kid) {
        if (kid != null) {
            JWK key = keys.getKeyByKeyId(kid);
            if (key == null) throw new FederationRefusal("unknown_kid");
            return key;
        }
        List<JWK> all = keys.getKeys();
        if (all.size() != 1) throw new FederationRefusal("unknown_kid"); // no kid: only an issuer with one key can be meant
        return all.get(0);
    }
}
