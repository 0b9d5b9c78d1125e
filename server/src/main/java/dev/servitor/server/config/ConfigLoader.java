// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.config;

import static dev.servitor.server.config.ConfigKeys.*;

import dev.servitor.common.Emails;
import dev.servitor.config.ServitorConfig;
import dev.servitor.crypto.SecretFormat;
import dev.servitor.server.tls.PemKeyStore;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Builds the {@link ServitorConfig} from defaults, then a properties file, then the
 * environment, then command-line flags (later wins), and validates it, reporting every error
 * at once.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    /** Thrown with every problem found, one per line. */
    public static final class InvalidConfig extends RuntimeException {
        public InvalidConfig(List<String> problems) {
            super("invalid configuration:\n  " + String.join("\n  ", problems));
        }
    }

    /** What {@code servitor serve} runs with: the core's settings and the server's tracing ({@code null}: off). */
    public record Loaded(ServitorConfig config, TracingConfig tracing) {}

    public static ServitorConfig load(Path file, Map<String, String> env, Map<String, String> flags) {
        return loadAll(file, env, flags).config();
    }

    public static Loaded loadAll(Path file, Map<String, String> env, Map<String, String> flags) {
        Map<String, String> values = new HashMap<>();
        List<String> problems = new ArrayList<>();
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            } catch (IOException e) {
                problems.add("cannot read config file " + file + ": " + e.getMessage());
            }
            for (String k : p.stringPropertyNames()) {
                if (ALL.contains(k)) values.put(k, p.getProperty(k).trim()); else problems.add(file + ": unknown key " + k);
            }
        }
        for (String k : ALL) {
            String v = env.get(k);
            if (v != null && !v.isBlank()) values.put(k, v.trim());
        }
        flags.forEach((k, v) -> { if (v != null) values.put(k, v); });
        ServitorConfig config = build(values, problems);
        TracingConfig tracing = TracingConfig.of(values, env, problems);
        if (!problems.isEmpty()) throw new InvalidConfig(problems);
        return new Loaded(config, tracing);
    }

    private static ServitorConfig build(Map<String, String> v, List<String> problems) {
        ServitorConfig d = ServitorConfig.defaults();
        String host = v.getOrDefault(HOST, d.http().host());
        int port = integer(v, PORT, d.http().port(), 0, 65535, problems);
        String publicUrl = v.get(PUBLIC_URL);
        if (publicUrl != null && !publicUrl.matches("https?://[^\\s/]+(/\\S*)?")) problems.add(PUBLIC_URL + " must be an http(s) URL");
        List<String> proxies = v.containsKey(TRUSTED_PROXIES)
            ? Arrays.stream(v.get(TRUSTED_PROXIES).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()
            : List.of();
        String dbUrl = v.get(DB_URL);
        if (dbUrl != null && !(dbUrl.startsWith("jdbc:postgresql:") || dbUrl.startsWith("jdbc:sqlite:"))) {
            problems.add(DB_URL + " must start with jdbc:postgresql: (or jdbc:sqlite:)");
        }
        ServitorConfig.Storage storage = new ServitorConfig.Storage(Path.of(v.getOrDefault(DATA_DIR, d.storage().dataDir().toString())),
            dbUrl, v.get(DB_USER), v.get(DB_PASSWORD), integer(v, DB_POOL_SIZE, d.storage().poolSize(), 1, 500, problems));
        String keyPrefix = v.getOrDefault(KEY_PREFIX, d.credentials().keyPrefix());
        String secretPrefix = v.getOrDefault(SECRET_PREFIX, d.credentials().secretPrefix());
        if (!SecretFormat.isValidPrefix(keyPrefix)) problems.add(KEY_PREFIX + " must be 1-16 characters of [A-Za-z0-9]");
        if (!SecretFormat.isValidPrefix(secretPrefix)) problems.add(SECRET_PREFIX + " must be 1-16 characters of [A-Za-z0-9]");
        if (keyPrefix.equals(secretPrefix)) problems.add(KEY_PREFIX + " and " + SECRET_PREFIX + " must differ");
        ServitorConfig.Credentials credentials = new ServitorConfig.Credentials(keyPrefix, secretPrefix,
            integer(v, MAX_KEYS_PER_SERVICE_ACCOUNT, d.credentials().maxKeysPerServiceAccount(), 1, 10_000, problems),
            integer(v, MAX_KEYS_PER_USER, d.credentials().maxKeysPerUser(), 1, 10_000, problems));
        String domain = v.getOrDefault(SA_EMAIL_DOMAIN, d.identity().serviceAccountEmailDomain());
        if (!domain.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")) problems.add(SA_EMAIL_DOMAIN + " must be a domain name");
        String adminEmail = v.getOrDefault(ADMIN_EMAIL, d.identity().adminEmail());
        if (!Emails.isValid(adminEmail)) problems.add(ADMIN_EMAIL + " must be an e-mail address");
        String adminToken = v.get(ADMIN_TOKEN);
        if (adminToken != null && SecretFormat.isValidPrefix(keyPrefix) && !SecretFormat.isWellFormed(adminToken, keyPrefix)) {
            // never echo the value: it is meant to be a secret
            problems.add(ADMIN_TOKEN + " is not a well-formed key with prefix '" + keyPrefix
                + "'; run `servitor admin-token` to make one");
        }
        String masterKey = v.get(MASTER_KEY);
        if (masterKey != null) {
            try {
                dev.servitor.token.MasterKey.fromBase64(masterKey);
            } catch (IllegalArgumentException e) {
                problems.add(MASTER_KEY + " must be base64 of 32 random bytes (e.g. `openssl rand -base64 32`)");
            }
        }
        ServitorConfig.Tokens td = d.tokens();
        long maxLifetime = integer(v, TOKEN_MAX_LIFETIME, (int) td.maxLifetimeSeconds(), 60, 30 * 86_400, problems);
        long lifetime = integer(v, ACCESS_TOKEN_LIFETIME, (int) td.defaultLifetimeSeconds(), 60, 30 * 86_400, problems);
        if (lifetime > maxLifetime) problems.add(ACCESS_TOKEN_LIFETIME + " must not exceed " + TOKEN_MAX_LIFETIME);
        List<String> audiences = v.containsKey(ACCEPTED_AUDIENCES)
            ? Arrays.stream(v.get(ACCEPTED_AUDIENCES).split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList()
            : List.of();
        if (!audiences.stream().allMatch(a -> a.matches("[\\x21-\\x7E]{1,255}"))) {
            problems.add(ACCEPTED_AUDIENCES + " must be a comma-separated list of audiences of 1-255 printable ASCII characters");
            audiences = List.of();
        }
        for (String proxy : proxies) {
            if (!dev.servitor.network.IpRules.isEntry(proxy)) problems.add(TRUSTED_PROXIES + ": '" + proxy + "' is not an address or CIDR");
        }
        ServitorConfig.Access ad = d.access();
        List<String> sizes = v.containsKey(INSTANCE_SIZES)
            ? Arrays.stream(v.get(INSTANCE_SIZES).split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList()
            : ad.instanceSizes();
        if (sizes.isEmpty() || !sizes.stream().allMatch(s -> s.matches("[a-z0-9][a-z0-9_-]{0,31}"))) {
            problems.add(INSTANCE_SIZES + " must be a comma-separated list of sizes of [a-z0-9_-]");
            sizes = ad.instanceSizes();
        }
        ServitorConfig.Access access = new ServitorConfig.Access(sizes,
            integer(v, AUTH_FAILURES_PER_MINUTE_PER_IP, ad.authFailuresPerMinutePerIp(), 1, 1_000_000, problems),
            integer(v, AUTH_FAILURES_PER_MINUTE_PER_CLIENT, ad.authFailuresPerMinutePerClient(), 1, 1_000_000, problems));
        ServitorConfig.Http dh = d.http();
        int bodyTimeout = integer(v, BODY_TIMEOUT, dh.bodyTimeoutSeconds(), 1, 3600, problems);
        int connectionsPerIp = integer(v, MAX_CONNECTIONS_PER_IP, dh.maxConnectionsPerAddress(), 1, 1_000_000, problems);
        Integer metricsPort = v.containsKey(METRICS_PORT) ? integer(v, METRICS_PORT, 0, 0, 65535, problems) : null;
        if (metricsPort != null && metricsPort != 0 && metricsPort == port) problems.add(METRICS_PORT + " must differ from " + PORT);
        String metricsToken = v.get(METRICS_TOKEN);
        if (metricsToken != null && !metricsToken.matches("[\\x21-\\x7e]{16,}")) {
            problems.add(METRICS_TOKEN + " must be at least 16 printable characters without spaces");
        }
        Path tlsCert = v.containsKey(TLS_CERT) ? Path.of(v.get(TLS_CERT)) : null;
        Path tlsKey = v.containsKey(TLS_KEY) ? Path.of(v.get(TLS_KEY)) : null;
        if ((tlsCert == null) != (tlsKey == null)) {
            problems.add(TLS_CERT + " and " + TLS_KEY + " must be set together");
        } else if (tlsCert != null) {
            try {
                PemKeyStore.load(tlsCert, tlsKey);
            } catch (PemKeyStore.InvalidPem e) {
                problems.add(TLS_CERT + "/" + TLS_KEY + ": " + e.getMessage());
            }
        }
        ServitorConfig.Sql sd = d.sql();
        ServitorConfig.Sql sql = new ServitorConfig.Sql(
            integer(v, SQL_MAX_STATEMENTS, sd.maxStatements(), 1, 100_000, problems),
            integer(v, SQL_MAX_RESULT_ROWS, sd.maxResultRows(), 1, 10_000_000, problems),
            integer(v, SQL_MAX_RESULT_BYTES, sd.maxResultBytes(), 1024, 1 << 30, problems),
            integer(v, SQL_MAX_BYTES_IN_FLIGHT, sd.maxBytesInFlight(), 1024, 1 << 30, problems));
        int largestScript = dev.servitor.adminql.Parser.MAX_CHARS * dev.servitor.adminql.ScriptBudget.SCRIPT_BYTES_FACTOR;
        if ((long) sql.maxBytesInFlight() < (long) sql.maxResultBytes() + largestScript) {
            problems.add(SQL_MAX_BYTES_IN_FLIGHT + " must be at least " + SQL_MAX_RESULT_BYTES + " plus " + largestScript
                + " (what the largest script holds while it is parsed)");
        }
        List<String> outboundNetworks = v.containsKey(OUTBOUND_ALLOWED_NETWORKS)
            ? Arrays.stream(v.get(OUTBOUND_ALLOWED_NETWORKS).split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList()
            : List.of();
        for (String network : outboundNetworks) {
            if (!dev.servitor.network.IpRules.isEntry(network)) problems.add(OUTBOUND_ALLOWED_NETWORKS + ": '" + network + "' is not an address or CIDR");
        }
        boolean webhooksHttp = bool(v, WEBHOOKS_ALLOW_HTTP, problems);
        boolean federationHttp = bool(v, FEDERATION_ALLOW_HTTP, problems);
        int maxDefer = integer(v, WEBHOOKS_MAX_DEFER, ServitorConfig.Outbound.DEFAULT_WEBHOOKS_MAX_DEFER_SECONDS, 0, 3600, problems);
        String githubKeysUrl = v.get(GITHUB_SCANNING_KEYS_URL);
        String githubKeysFile = v.get(GITHUB_SCANNING_KEYS_FILE);
        if (githubKeysUrl != null && githubKeysFile != null) {
            problems.add(GITHUB_SCANNING_KEYS_URL + " and " + GITHUB_SCANNING_KEYS_FILE + ": give one of them, not both");
        }
        if (githubKeysFile != null && !java.nio.file.Files.isReadable(java.nio.file.Path.of(githubKeysFile))) {
            problems.add(GITHUB_SCANNING_KEYS_FILE + ": cannot read '" + githubKeysFile + "'");
        }
        return new ServitorConfig(new ServitorConfig.Http(host, port, publicUrl, proxies, bodyTimeout, connectionsPerIp,
            metricsPort, metricsToken, tlsCert, tlsKey), storage, credentials,
            new ServitorConfig.Identity(domain, adminEmail, adminToken),
            new ServitorConfig.Tokens(masterKey, lifetime, maxLifetime, td.impersonationSeconds(), audiences), access, sql,
            new ServitorConfig.Outbound(outboundNetworks, webhooksHttp, githubKeysUrl,
                githubKeysFile == null ? null : java.nio.file.Path.of(githubKeysFile), federationHttp, maxDefer));
    }

    private static boolean bool(Map<String, String> v, String key, List<String> problems) {
        String s = v.get(key);
        if (s == null || s.equals("false")) return false;
        if (s.equals("true")) return true;
        problems.add(key + " must be true or false");
        return false;
    }

    private static int integer(Map<String, String> v, String key, int def, int min, int max, List<String> problems) {
        String s = v.get(key);
        if (s == null) return def;
        try {
            int n = Integer.parseInt(s);
            if (n < min || n > max) {
                problems.add(key + " must be between " + min + " and " + max);
                return def;
            }
            return n;
        } catch (NumberFormatException e) {
            problems.add(key + " must be a whole number");
            return def;
        }
    }
}
