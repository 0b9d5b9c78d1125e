// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.config;

import java.util.List;

/**
 * Every configuration key, as an environment variable name. A config file (--config) uses the
 * same names as Java properties. docs/configuration.md documents each with an example.
 */
public final class ConfigKeys {
    /** Interface to listen on. Example: {@code 0.0.0.0}. Default {@code 127.0.0.1}. */
    public static final String HOST = "SERVITOR_HOST";
    /** TCP port. Example: {@code 8080} (the default); {@code 0} picks a free port. */
    public static final String PORT = "SERVITOR_PORT";
    /** The URL clients use and the OAuth issuer, e.g. {@code https://auth.example.com}. Default {@code http://<host>:<port>} of the listener. */
    public static final String PUBLIC_URL = "SERVITOR_PUBLIC_URL";
    /** Comma-separated proxy addresses whose X-Forwarded-For is believed, e.g. {@code 10.0.0.1,10.0.0.2}. */
    public static final String TRUSTED_PROXIES = "SERVITOR_TRUSTED_PROXIES";
    /** Seconds a request body may take to arrive in full; a slower one gets 408 and the connection is closed. Default 20. */
    public static final String BODY_TIMEOUT = "SERVITOR_BODY_TIMEOUT";
    /** Open connections one client address may hold (trusted proxies are exempt); more are closed at once. Default 256. */
    public static final String MAX_CONNECTIONS_PER_IP = "SERVITOR_MAX_CONNECTIONS_PER_IP";
    /** Serve {@code /metrics} on this port only (same interface), e.g. {@code 9464}. Unset: on the API port. */
    public static final String METRICS_PORT = "SERVITOR_METRICS_PORT";
    /** Bearer token {@code /metrics} requires, e.g. {@code openssl rand -hex 32}. Unset: none. */
    public static final String METRICS_TOKEN = "SERVITOR_METRICS_TOKEN";
    /** PEM certificate chain (leaf first) the API port serves TLS with, e.g. {@code /etc/servitor/tls/fullchain.pem}; reloaded when it changes. Needs {@link #TLS_KEY}. */
    public static final String TLS_CERT = "SERVITOR_TLS_CERT";
    /** Unencrypted PKCS#8 PEM private key of {@link #TLS_CERT}, e.g. {@code /etc/servitor/tls/privkey.pem}. */
    public static final String TLS_KEY = "SERVITOR_TLS_KEY";
    /** Directory of the embedded SQLite store. Default {@code ./data}. */
    public static final String DATA_DIR = "SERVITOR_DATA_DIR";
    /** JDBC URL of PostgreSQL, e.g. {@code jdbc:postgresql://db:5432/servitor}. Unset: embedded SQLite. */
    public static final String DB_URL = "SERVITOR_DB_URL";
    /** PostgreSQL user (or put {@code user=} in the URL). */
    public static final String DB_USER = "SERVITOR_DB_USER";
    /** PostgreSQL password (or put {@code password=} in the URL). */
    public static final String DB_PASSWORD = "SERVITOR_DB_PASSWORD";
    /** PostgreSQL connection pool size. Default 10. */
    public static final String DB_POOL_SIZE = "SERVITOR_DB_POOL_SIZE";
    /** Prefix of API keys, 1-16 base62 characters. Default {@code svt}. */
    public static final String KEY_PREFIX = "SERVITOR_KEY_PREFIX";
    /** Prefix of client secrets. Default {@code svs}. */
    public static final String SECRET_PREFIX = "SERVITOR_SECRET_PREFIX";
    /** Live keys a service account may hold. Default 50. */
    public static final String MAX_KEYS_PER_SERVICE_ACCOUNT = "SERVITOR_MAX_KEYS_PER_SERVICE_ACCOUNT";
    /** Live personal keys a user may hold. Default 5. */
    public static final String MAX_KEYS_PER_USER = "SERVITOR_MAX_KEYS_PER_USER";
    /** Domain of service accounts' synthetic e-mails ({@code <name>@<org>.sa.<domain>}). Default {@code servitor.local}. */
    public static final String SA_EMAIL_DOMAIN = "SERVITOR_SA_EMAIL_DOMAIN";
    /** E-mail of the bootstrap admin. Default {@code admin@localhost}. */
    public static final String ADMIN_EMAIL = "SERVITOR_ADMIN_EMAIL";
    /** The bootstrap admin's key on first start (from {@code servitor admin-token}); unset: one is generated and printed once. */
    public static final String ADMIN_TOKEN = "SERVITOR_ADMIN_TOKEN";

    /** Base64 of 32 bytes that encrypts JWT signing keys at rest; give every node the same. Unset: {@code <data-dir>/master.key}. */
    public static final String MASTER_KEY = "SERVITOR_MASTER_KEY";
    /** Lifetime of access tokens from /oauth/token, seconds. Default 86400. */
    public static final String ACCESS_TOKEN_LIFETIME = "SERVITOR_ACCESS_TOKEN_LIFETIME";
    /** Upper bound of any token lifetime; a retired signing key stays in the JWKS this long. Default 604800. */
    public static final String TOKEN_MAX_LIFETIME = "SERVITOR_TOKEN_MAX_LIFETIME";

    /** Comma-separated {@code aud} values, besides the issuer, that Servitor's own API takes a token for, e.g. {@code https://api.example.com}. */
    public static final String ACCEPTED_AUDIENCES = "SERVITOR_ACCEPTED_AUDIENCES";

    /** Comma-separated compute instance sizes, smallest first. Default {@code pulse,standard,jumbo,mega,giga}. */
    public static final String INSTANCE_SIZES = "SERVITOR_INSTANCE_SIZES";
    /** Failed authentications per minute from one client address before 429 (per node). Default 20. */
    public static final String AUTH_FAILURES_PER_MINUTE_PER_IP = "SERVITOR_AUTH_FAILURES_PER_MINUTE_PER_IP";
    /** Failed authentications per minute for one client id (key display prefix or OAuth client_id) before 429 (per node). Default 10. */
    public static final String AUTH_FAILURES_PER_MINUTE_PER_CLIENT = "SERVITOR_AUTH_FAILURES_PER_MINUTE_PER_CLIENT";

    /** Statements one {@code POST /v1/sql} script may hold; more is 413 {@code too_many_statements} and nothing runs. Default 1000. */
    public static final String SQL_MAX_STATEMENTS = "SERVITOR_SQL_MAX_STATEMENTS";
    /** Rows the results of one SQL script may hold in all; more is 413 {@code result_too_large}. Default 10000. */
    public static final String SQL_MAX_RESULT_ROWS = "SERVITOR_SQL_MAX_RESULT_ROWS";
    /** Estimated JSON bytes the results of one SQL script may hold in all; more is 413 {@code result_too_large}. Default 4194304 (4 MiB). */
    public static final String SQL_MAX_RESULT_BYTES = "SERVITOR_SQL_MAX_RESULT_BYTES";
    /** Estimated bytes all SQL scripts in progress on this node may hold together (5x each body, plus results); more is 503. Default 16777216 (16 MiB). */
    public static final String SQL_MAX_BYTES_IN_FLIGHT = "SERVITOR_SQL_MAX_BYTES_IN_FLIGHT";

    /** {@code true}: a webhook may be plain {@code http://} to a loopback address (tests, local development). Default false. */
    public static final String WEBHOOKS_ALLOW_HTTP = "SERVITOR_WEBHOOKS_ALLOW_HTTP";
    /** Seconds lifecycle events may wait while the node is busy serving requests (docs/webhooks.md), 0 to 3600; 0: never. Default 30. */
    public static final String WEBHOOKS_MAX_DEFER = "SERVITOR_WEBHOOKS_MAX_DEFER";
    /** {@code true}: a federation issuer's URL and key set may be plain {@code http://} to a loopback address (tests, local development). Default false. */
    public static final String FEDERATION_ALLOW_HTTP = "SERVITOR_FEDERATION_ALLOW_HTTP";
    /** Comma-separated CIDRs of non-public addresses outgoing calls may reach, e.g. {@code 10.20.0.0/16}. Default none. */
    public static final String OUTBOUND_ALLOWED_NETWORKS = "SERVITOR_OUTBOUND_ALLOWED_NETWORKS";
    /** OTLP/HTTP collector that receives traces, e.g. {@code http://collector:4318}. Unset (and no standard OTEL_EXPORTER_OTLP_*ENDPOINT): no tracing. */
    public static final String OTEL_ENDPOINT = "SERVITOR_OTEL_ENDPOINT";
    /** {@code service.name} of the traces. Default {@code OTEL_SERVICE_NAME}, else {@code servitor}. */
    public static final String OTEL_SERVICE_NAME = "SERVITOR_OTEL_SERVICE_NAME";
    /** Share of requests without a sampled {@code traceparent} that start a trace, 0 to 1. Default 1. */
    public static final String OTEL_SAMPLE_RATIO = "SERVITOR_OTEL_SAMPLE_RATIO";
    /** Where GitHub's secret-scanning public keys are fetched (docs/leaks.md), e.g. {@code https://api.github.com/meta/public_keys/secret_scanning}. */
    public static final String GITHUB_SCANNING_KEYS_URL = "SERVITOR_GITHUB_SCANNING_KEYS_URL";
    /** The same keys from a file in GitHub's JSON format, instead of the URL. */
    public static final String GITHUB_SCANNING_KEYS_FILE = "SERVITOR_GITHUB_SCANNING_KEYS_FILE";

    public static final List<String> ALL = List.of(HOST, PORT, PUBLIC_URL, TRUSTED_PROXIES, BODY_TIMEOUT,
        MAX_CONNECTIONS_PER_IP, METRICS_PORT, METRICS_TOKEN, TLS_CERT, TLS_KEY, DATA_DIR, DB_URL, DB_USER,
        DB_PASSWORD, DB_POOL_SIZE, KEY_PREFIX, SECRET_PREFIX, MAX_KEYS_PER_SERVICE_ACCOUNT, MAX_KEYS_PER_USER,
        SA_EMAIL_DOMAIN, ADMIN_EMAIL, ADMIN_TOKEN, MASTER_KEY, ACCESS_TOKEN_LIFETIME, TOKEN_MAX_LIFETIME, ACCEPTED_AUDIENCES, INSTANCE_SIZES,
        AUTH_FAILURES_PER_MINUTE_PER_IP, AUTH_FAILURES_PER_MINUTE_PER_CLIENT, SQL_MAX_STATEMENTS, SQL_MAX_RESULT_ROWS,
        SQL_MAX_RESULT_BYTES, SQL_MAX_BYTES_IN_FLIGHT, WEBHOOKS_ALLOW_HTTP, WEBHOOKS_MAX_DEFER, FEDERATION_ALLOW_HTTP,
        OUTBOUND_ALLOWED_NETWORKS,
        OTEL_ENDPOINT, OTEL_SERVICE_NAME, OTEL_SAMPLE_RATIO, GITHUB_SCANNING_KEYS_URL, GITHUB_SCANNING_KEYS_FILE);

    private ConfigKeys() {}
}
