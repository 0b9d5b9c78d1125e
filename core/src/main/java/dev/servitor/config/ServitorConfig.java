// SPDX-License-Identifier: Apache-2.0
package dev.servitor.config;

import java.nio.file.Path;
import java.util.List;

/**
 * All settings of one Servitor node, immutable and validated once at start-up.
 * {@code ConfigLoader} (server module) fills it from defaults, a file, the environment and
 * flags, in that order; every key is documented in docs/configuration.md.
 */
public record ServitorConfig(Http http, Storage storage, Credentials credentials, Identity identity, Tokens tokens,
                             Access access, Sql sql, Outbound outbound) {

    /**
     * Where the server listens and how it sees clients. {@code bodyTimeoutSeconds}: the longest a
     * request body may take to arrive; {@code maxConnectionsPerAddress}: open connections one
     * client address may hold (trusted proxies are exempt); {@code metricsPort}: null serves
     * {@code /metrics} on {@code port}, else only there; {@code metricsToken}: null, or the
     * bearer token {@code /metrics} requires; {@code tlsCertificate} and {@code tlsKey}: both null
     * (plain HTTP), or the PEM files the API port serves TLS from.
     */
    public record Http(String host, int port, String publicUrl, List<String> trustedProxies, int bodyTimeoutSeconds,
                       int maxConnectionsPerAddress, Integer metricsPort, String metricsToken, Path tlsCertificate, Path tlsKey) {
        public static final int DEFAULT_BODY_TIMEOUT_SECONDS = 20;
        public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 256;

        public Http(String host, int port, String publicUrl, List<String> trustedProxies) {
            this(host, port, publicUrl, trustedProxies, DEFAULT_BODY_TIMEOUT_SECONDS, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, null, null, null, null);
        }

        public Http withConnectionLimits(int bodyTimeoutSeconds, int maxConnectionsPerAddress) {
            return new Http(host, port, publicUrl, trustedProxies, bodyTimeoutSeconds, maxConnectionsPerAddress, metricsPort, metricsToken,
                tlsCertificate, tlsKey);
        }

        public Http withMetrics(Integer metricsPort, String metricsToken) {
            return new Http(host, port, publicUrl, trustedProxies, bodyTimeoutSeconds, maxConnectionsPerAddress, metricsPort, metricsToken,
                tlsCertificate, tlsKey);
        }

        public Http withTls(Path certificate, Path key) {
            return new Http(host, port, publicUrl, trustedProxies, bodyTimeoutSeconds, maxConnectionsPerAddress, metricsPort, metricsToken,
                certificate, key);
        }

        public boolean tls() {
            return tlsCertificate != null;
        }
    }

    /** The embedded SQLite file lives in {@code dataDir} unless {@code dbUrl} names PostgreSQL. */
    public record Storage(Path dataDir, String dbUrl, String dbUser, String dbPassword, int poolSize) {
        public boolean isPostgres() {
            return dbUrl != null && dbUrl.startsWith("jdbc:postgresql:");
        }
    }

    /** Key formats and per-owner limits. */
    public record Credentials(String keyPrefix, String secretPrefix, int maxKeysPerServiceAccount, int maxKeysPerUser) {}

    /** The synthetic e-mail domain of service accounts and the bootstrap admin. */
    public record Identity(String serviceAccountEmailDomain, String adminEmail, String adminToken) {}

    /**
     * Access tokens: {@code masterKey} (base64, 32 bytes) encrypts the JWT signing keys at rest;
     * null means a 0600 file {@code master.key} in the data directory. {@code maxLifetimeSeconds}
     * bounds every token and keeps a retired signing key in the JWKS that long.
     * {@code acceptedAudiences}: besides the issuer, the {@code aud} values Servitor's own API
     * takes a token for.
     */
    public record Tokens(String masterKey, long defaultLifetimeSeconds, long maxLifetimeSeconds, long impersonationSeconds,
                         List<String> acceptedAudiences) {
        public Tokens {
            acceptedAudiences = List.copyOf(acceptedAudiences);
        }

        public Tokens(String masterKey, long defaultLifetimeSeconds, long maxLifetimeSeconds, long impersonationSeconds) {
            this(masterKey, defaultLifetimeSeconds, maxLifetimeSeconds, impersonationSeconds, List.of());
        }

        public Tokens withAcceptedAudiences(List<String> audiences) {
            return new Tokens(masterKey, defaultLifetimeSeconds, maxLifetimeSeconds, impersonationSeconds, audiences);
        }
    }

    /**
     * Compute sizes a service account may be given, and how many failed authentications a
     * client address and a client id may have per minute before they get 429 (node-local counts).
     */
    public record Access(List<String> instanceSizes, int authFailuresPerMinutePerIp, int authFailuresPerMinutePerClient) {
        public Access {
            instanceSizes = List.copyOf(instanceSizes);
        }
    }

    /**
     * What one {@code POST /v1/sql} may build: statements per script, rows and estimated JSON
     * bytes of its results; and the estimated bytes all scripts in progress on this node hold
     * together, their text while parsed and their results (so that parallel requests cannot
     * exhaust the heap either).
     */
    public record Sql(int maxStatements, int maxResultRows, int maxResultBytes, int maxBytesInFlight) {}

    /**
     * Outgoing calls (webhooks; later issuers' key sets): {@code allowedNetworks}, CIDRs of
     * non-public addresses they may reach (none by default: server-side request forgery);
     * {@code webhooksAllowHttp}, whether a webhook may be plain {@code http} to a loopback address;
     * {@code githubScanningKeysUrl} / {@code githubScanningKeysFile}, where GitHub's secret-scanning
     * public keys come from (docs/leaks.md; neither: {@code POST /v1/leaks/github} refuses every request);
     * {@code federationAllowHttp}, whether a federation issuer (its URL and key set) may be plain
     * {@code http} to a loopback address; {@code webhooksMaxDeferSeconds}, how long lifecycle events
     * may wait while the node is busy serving requests (0: never).
     */
    public record Outbound(List<String> allowedNetworks, boolean webhooksAllowHttp, String githubScanningKeysUrl,
                           Path githubScanningKeysFile, boolean federationAllowHttp, int webhooksMaxDeferSeconds) {
        /** How long lifecycle events may wait while the node is busy serving requests, by default. */
        public static final int DEFAULT_WEBHOOKS_MAX_DEFER_SECONDS = 30;

        public Outbound {
            allowedNetworks = List.copyOf(allowedNetworks);
        }

        public Outbound(List<String> allowedNetworks, boolean webhooksAllowHttp, String githubScanningKeysUrl, Path githubScanningKeysFile) {
            this(allowedNetworks, webhooksAllowHttp, githubScanningKeysUrl, githubScanningKeysFile, false, DEFAULT_WEBHOOKS_MAX_DEFER_SECONDS);
        }

        public Outbound(List<String> allowedNetworks, boolean webhooksAllowHttp) {
            this(allowedNetworks, webhooksAllowHttp, null, null);
        }

        public Outbound withFederationAllowHttp(boolean allow) {
            return new Outbound(allowedNetworks, webhooksAllowHttp, githubScanningKeysUrl, githubScanningKeysFile, allow, webhooksMaxDeferSeconds);
        }

        public Outbound withWebhooksMaxDeferSeconds(int seconds) {
            return new Outbound(allowedNetworks, webhooksAllowHttp, githubScanningKeysUrl, githubScanningKeysFile, federationAllowHttp, seconds);
        }
    }

    public static ServitorConfig defaults() {
        return new ServitorConfig(
            new Http("127.0.0.1", 8080, null, List.of()),
            new Storage(Path.of("data"), null, null, null, 10),
            new Credentials("svt", "svs", 50, 5),
            new Identity("servitor.local", "admin@localhost", null),
            new Tokens(null, 86_400, 7 * 86_400, 7_200),
            new Access(List.of("pulse", "standard", "jumbo", "mega", "giga"), 20, 10),
            new Sql(1000, 10_000, 4 * 1024 * 1024, 16 * 1024 * 1024),
            new Outbound(List.of(), false));
    }

    public ServitorConfig withHttp(Http h) { return new ServitorConfig(h, storage, credentials, identity, tokens, access, sql, outbound); }
    public ServitorConfig withStorage(Storage s) { return new ServitorConfig(http, s, credentials, identity, tokens, access, sql, outbound); }
    public ServitorConfig withCredentials(Credentials c) { return new ServitorConfig(http, storage, c, identity, tokens, access, sql, outbound); }
    public ServitorConfig withIdentity(Identity i) { return new ServitorConfig(http, storage, credentials, i, tokens, access, sql, outbound); }
    public ServitorConfig withTokens(Tokens t) { return new ServitorConfig(http, storage, credentials, identity, t, access, sql, outbound); }
    public ServitorConfig withAccess(Access a) { return new ServitorConfig(http, storage, credentials, identity, tokens, a, sql, outbound); }
    public ServitorConfig withSql(Sql s) { return new ServitorConfig(http, storage, credentials, identity, tokens, access, s, outbound); }
    public ServitorConfig withOutbound(Outbound o) { return new ServitorConfig(http, storage, credentials, identity, tokens, access, sql, o); }
}
