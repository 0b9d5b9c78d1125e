// SPDX-License-Identifier: Apache-2.0
package dev.servitor.bench;

import dev.servitor.apikey.KeyType;
import dev.servitor.caller.OwnerKind;
import dev.servitor.common.Ids;
import dev.servitor.config.ServitorConfig;
import dev.servitor.crypto.SecretFormat;
import dev.servitor.crypto.SecretHash;
import dev.servitor.store.jdbi.Database;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Fills a PostgreSQL store with many service accounts and API keys, fast, for the scale
 * benchmarks (docs/benchmarks.md, "Scale"). The schema is the application's own: the store is
 * opened with {@link Database#open}, which runs the Flyway migrations. Rows are written as
 * {@code ServiceAccountService} and {@code ApiKeyService} write them (ids from {@link Ids},
 * secrets from {@link SecretFormat#generate}, the stored SHA-256 from {@link SecretHash}), so
 * every generated key really verifies. Rows go in with {@code COPY ... FROM STDIN} in chunks.
 *
 * <p>The organization must exist: start {@code servitor serve} once on the database first (it
 * creates organization {@code default} and the admin). No audit events are written for the
 * generated rows, and the organization's quotas ({@code max_service_accounts},
 * {@code max_keys_per_service_account}) are raised when the generated sizes need it.
 *
 * <p>Writes {@code --samples} plaintext keys (default 100,000) to {@code --sample-file}, one per
 * line, mode 0600, in random order, each of a different service account as long as there are
 * enough accounts: verifying them in file order misses both the key and the principal cache.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.servitor.bench.GenerateData \
 *   --pg-url jdbc:postgresql://127.0.0.1:5432/servitor [--pg-user U --pg-password P] \
 *   --accounts 100000 --keys 1000000 [--samples 100000] [--sample-file bench/target/sample-keys.txt] \
 *   [--org default] [--name-prefix gen] [--key-prefix svt] [--chunk 50000]
 * </pre>
 */
public final class GenerateData {
    private static final String[] ROLES = {"user", "viewer", "contributor", "inference-user"};

    private GenerateData() {}

    public static void main(String[] args) throws Exception {
        String url = null, user = null, password = null, org = "default", namePrefix = "gen", keyPrefix = "svt";
        int accounts = 100_000, keys = 1_000_000, samples = 100_000, chunk = 50_000;
        Path sampleFile = Path.of("bench/target/sample-keys.txt");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--pg-url" -> url = v;
                case "--pg-user" -> user = v;
                case "--pg-password" -> password = v;
                case "--org" -> org = v;
                case "--name-prefix" -> namePrefix = v;
                case "--key-prefix" -> keyPrefix = v;
                case "--accounts" -> accounts = Integer.parseInt(v);
                case "--keys" -> keys = Integer.parseInt(v);
                case "--samples" -> samples = Integer.parseInt(v);
                case "--chunk" -> chunk = Integer.parseInt(v);
                case "--sample-file" -> sampleFile = Path.of(v);
                default -> usage("unknown argument " + a);
            }
            i++;
        }
        if (url == null || !url.startsWith("jdbc:postgresql:")) usage("--pg-url jdbc:postgresql://... is required");
        if (accounts < 1 || keys < 0 || samples < 0 || chunk < 1) usage("sizes must be positive");
        if (!SecretFormat.isValidPrefix(keyPrefix)) usage("bad --key-prefix");

        long t0 = System.nanoTime();
        // The application's own migrations (the pool closes again at once).
        try (Database db = Database.open(new ServitorConfig.Storage(Path.of("."), url, user, password, 2))) {
            System.out.println("schema migrated (" + db.dialect() + ")");
        }
        Properties props = new Properties();
        if (user != null) props.setProperty("user", user);
        if (password != null) props.setProperty("password", password);
        try (Connection c = DriverManager.getConnection(url, props)) {
            c.setAutoCommit(false);
            String orgId;
            String createdBy;
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT o.id, (SELECT u.email FROM users u WHERE u.org_id = o.id AND u.is_org_admin ORDER BY u.created_at LIMIT 1)
                    FROM organizations o WHERE o.name = ?""")) {
                ps.setString(1, org);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("no organization '" + org + "': start `servitor serve` once on this"
                            + " database first (it creates organization 'default' and its admin)");
                    }
                    orgId = rs.getString(1);
                    createdBy = rs.getString(2) == null ? "generate-data" : rs.getString(2);
                }
            }
            int keysPerAccountMax = keys == 0 ? 0 : (keys + accounts - 1) / accounts;
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE organizations SET
                      max_service_accounts = GREATEST(max_service_accounts,
                          (SELECT COUNT(*) FROM service_accounts WHERE org_id = ?) + ?),
                      max_keys_per_service_account = GREATEST(max_keys_per_service_account, ?)
                    WHERE id = ?""")) {
                ps.setString(1, orgId);
                ps.setInt(2, accounts);
                ps.setInt(3, keysPerAccountMax);
                ps.setString(4, orgId);
                ps.executeUpdate();
            }
            c.commit();

            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            long now = System.currentTimeMillis();

            // Service accounts: ids as ServiceAccountService makes them; names sort like their index.
            String[] ids = new String[accounts];
            for (int i = 0; i < accounts; i++) ids[i] = Ids.newId("sa");
            int width = Math.max(7, Integer.toString(accounts - 1).length());
            String fmt = "%s-%0" + width + "d";
            long tSa = System.nanoTime();
            StringBuilder sb = new StringBuilder(chunk * 160);
            for (int i = 0; i < accounts; i++) {
                String name = String.format(fmt, namePrefix, i);
                // id, org_id, name, description, role, network_policy, is_org_admin, disabled, created_at, updated_at, created_by
                sb.append(ids[i]).append(',').append(orgId).append(',').append(name).append(",\"\",")
                    .append(ROLES[i % ROLES.length]).append(",,f,f,").append(now).append(',').append(now).append(',')
                    .append(csv(createdBy)).append('\n');
                if ((i + 1) % chunk == 0 || i == accounts - 1) {
                    copy.copyIn("COPY service_accounts (id, org_id, name, description, role, network_policy, is_org_admin,"
                        + " disabled, created_at, updated_at, created_by) FROM STDIN WITH (FORMAT csv)", new StringReader(sb.toString()));
                    sb.setLength(0);
                }
            }
            c.commit();
            System.out.printf("%,d service accounts in %.1f s%n", accounts, (System.nanoTime() - tSa) / 1e9);

            // Keys: account a gets keys a, a + accounts, a + 2 * accounts, ... (at most keysPerAccountMax).
            int perAccountSampled = accounts == 0 ? 0 : Math.min(keysPerAccountMax, (samples + accounts - 1) / accounts);
            List<String> sampled = new ArrayList<>(Math.min(samples * 2, keys));
            long tKeys = System.nanoTime();
            final String kp = keyPrefix;
            final int nAccounts = accounts;
            final String org0 = orgId;
            final String by = csv(createdBy);
            for (int start = 0; start < keys; start += chunk) {
                int end = Math.min(keys, start + chunk);
                // SHA-256 and the secure random secrets in parallel; the rows in key order.
                String[] secrets = new String[end - start];
                String[] rows = new String[end - start];
                final int s0 = start;
                IntStream.range(start, end).parallel().forEach(k -> {
                    String secret = SecretFormat.generate(kp);
                    int owner = k % nAccounts;
                    int nth = k / nAccounts;
                    secrets[k - s0] = secret;
                    // id, org_id, owner_kind, owner_id, name, description, type, prefix, secret_hash, created_at, created_by
                    rows[k - s0] = Ids.newId("key") + ',' + org0 + ',' + OwnerKind.SERVICE_ACCOUNT.wire() + ',' + ids[owner]
                        + ",key-" + nth + ",\"\"," + KeyType.READ_WRITE.wire() + ',' + SecretFormat.displayPrefix(secret) + ','
                        + SecretHash.sha256Hex(secret) + ',' + now + ',' + by + '\n';
                });
                for (int k = start; k < end; k++) {
                    sb.append(rows[k - start]);
                    if (k / accounts < perAccountSampled) sampled.add(secrets[k - start]);
                }
                copy.copyIn("COPY api_keys (id, org_id, owner_kind, owner_id, name, description, type, prefix, secret_hash,"
                    + " created_at, created_by) FROM STDIN WITH (FORMAT csv)", new StringReader(sb.toString()));
                sb.setLength(0);
                c.commit();
                if ((end / chunk) % 4 == 0 || end == keys) {
                    System.out.printf("  %,d / %,d keys (%.1f s)%n", end, keys, (System.nanoTime() - tKeys) / 1e9);
                }
            }
            System.out.printf("%,d keys in %.1f s%n", keys, (System.nanoTime() - tKeys) / 1e9);

            long tAn = System.nanoTime();
            c.setAutoCommit(true);
            try (var st = c.createStatement()) {
                st.execute("ANALYZE service_accounts");
                st.execute("ANALYZE api_keys");
            }
            System.out.printf("ANALYZE in %.1f s%n", (System.nanoTime() - tAn) / 1e9);

            // Samples: the first key(s) of each account, shuffled, so consecutive lines name different accounts.
            List<String> firstRound = new ArrayList<>(sampled.subList(0, Math.min(accounts, sampled.size())));
            List<String> rest = new ArrayList<>(sampled.subList(firstRound.size(), sampled.size()));
            Collections.shuffle(firstRound, ThreadLocalRandom.current());
            Collections.shuffle(rest, ThreadLocalRandom.current());
            firstRound.addAll(rest);
            List<String> out = firstRound.subList(0, Math.min(samples, firstRound.size()));
            if (sampleFile.getParent() != null) Files.createDirectories(sampleFile.getParent());
            Files.deleteIfExists(sampleFile);
            Files.createFile(sampleFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (BufferedWriter w = Files.newBufferedWriter(sampleFile, StandardCharsets.US_ASCII)) {
                for (String s : out) {
                    w.write(s);
                    w.write('\n');
                }
            }
            System.out.printf("%,d sample keys in %s%n", out.size(), sampleFile);
        } catch (SQLException e) {
            System.err.println("generate-data: " + e.getMessage());
            System.exit(1);
        } catch (IOException e) {
            System.err.println("generate-data: " + e);
            System.exit(1);
        }
        System.out.printf("done in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    private static String csv(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private static void usage(String problem) {
        System.err.println("generate-data: " + problem);
        System.err.println("usage: java -cp bench/target/benchmarks.jar dev.servitor.bench.GenerateData --pg-url jdbc:postgresql://HOST:PORT/DB"
            + " [--pg-user U] [--pg-password P] [--accounts 100000] [--keys 1000000] [--samples 100000]"
            + " [--sample-file bench/target/sample-keys.txt] [--org default] [--name-prefix gen] [--key-prefix svt] [--chunk 50000]");
        System.exit(2);
    }
}
