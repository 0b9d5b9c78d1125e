// SPDX-License-Identifier: Apache-2.0
package dev.servitor.bench;

import dev.servitor.Servitor;
import dev.servitor.account.NewServiceAccount;
import dev.servitor.caller.KeyOwnerRef;
import dev.servitor.apikey.NewKey;
import dev.servitor.apikey.RestrictionsInput;
import dev.servitor.caller.Caller;
import dev.servitor.authn.CredentialVerifier;
import dev.servitor.authn.Verification;
import dev.servitor.authn.VerificationCode;
import dev.servitor.config.ServitorConfig;
import dev.servitor.crypto.SecretFormat;
import dev.servitor.crypto.SecretHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The in-process hot path: {@link CredentialVerifier#verify} of a service account's API key on
 * a cache hit, against its two fixed costs measured alone (the format and checksum check, and
 * SHA-256 + hex), and the cheapest refusal (a checksum typo, no hashing, no lookup).
 *
 * <p>A real Servitor on a fresh SQLite directory; the key is created through the services with
 * the bootstrap admin as caller, exactly as the REST API would. Run with
 * {@code java -jar bench/target/benchmarks.jar VerifyBenchmark}; see docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-DSERVITOR_LOG_LEVEL=warn"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class VerifyBenchmark {
    private static final String IP = "192.0.2.10";

    private Path dataDir;
    private Servitor servitor;
    private CredentialVerifier verifier;
    /** A live service-account key (cache hit after the first call). */
    private String key;
    /** A key of the same account restricted to a permission and to an address block (docs/api.md "Per-key restrictions"). */
    private String restricted;
    /** {@link #key} with its last checksum character changed: refused by the format check. */
    private String badChecksum;
    /** Well formed, correct checksum, but issued by nobody: a (negatively) cached NOT_FOUND. */
    private String unknown;

    @Setup(Level.Trial)
    public void start() throws IOException {
        dataDir = Files.createTempDirectory("servitor-bench-");
        ServitorConfig config = ServitorConfig.defaults()
            .withStorage(new ServitorConfig.Storage(dataDir, null, null, null, 1));
        servitor = Servitor.start(config, Clock.systemUTC());
        verifier = servitor.verifier();

        String adminKey = servitor.generatedAdminKey().orElseThrow(() -> new IllegalStateException("store was not fresh"));
        Caller admin = expect(verifier.verify(adminKey, "127.0.0.1"), VerificationCode.VALID).caller();
        servitor.serviceAccounts().create(admin, new NewServiceAccount("bench-gateway", "JMH", null, null, null, null),
            false, false);
        key = servitor.keys().create(admin, KeyOwnerRef.serviceAccount("bench-gateway"),
            new NewKey("bench", null, null, null, null)).secret();

        restricted = servitor.keys().create(admin, KeyOwnerRef.serviceAccount("bench-gateway"),
            new NewKey("restricted", null, null, null, null, "type", "ttl_seconds", new RestrictionsInput(
                List.of("deployments:read", "verify"), List.of("10.0.0.0/8", "192.0.2.0/24"), null, null, null))).secret();

        char last = key.charAt(key.length() - 1);
        badChecksum = key.substring(0, key.length() - 1) + (last == '0' ? '1' : '0');
        unknown = SecretFormat.generate(config.credentials().keyPrefix());

        // fail fast rather than measure the wrong path
        expect(verifier.verify(key, IP), VerificationCode.VALID);
        expect(verifier.verify(restricted, IP), VerificationCode.VALID);
        expect(verifier.verify(restricted, "198.51.100.1"), VerificationCode.IP_NOT_ALLOWED);
        expect(verifier.verify(badChecksum, IP), VerificationCode.NOT_FOUND);
        expect(verifier.verify(unknown, IP), VerificationCode.NOT_FOUND);
        if (!SecretFormat.isWellFormed(key) || SecretFormat.isWellFormed(badChecksum)) {
            throw new IllegalStateException("format check disagrees with the verifier");
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        if (servitor != null) servitor.close();
        if (dataDir != null) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }

    /** The whole hot path on a cache hit: format, SHA-256, two cache lookups, state checks, last-use record. */
    @Benchmark
    public Verification verifyCacheHit() {
        return verifier.verify(key, IP);
    }

    /**
     * The same cache hit from two threads at once (this machine's core count), as the server's
     * request threads run it: shows contention on shared state (cache entries, the last-use map).
     */
    @Benchmark
    @Threads(2)
    public Verification verifyCacheHit2Threads() {
        return verifier.verify(key, IP);
    }

    /** A cache hit of a key with a permissions and an allowed_ips restriction: the intersection and the address check added. */
    @Benchmark
    public Verification verifyRestrictedCacheHit() {
        return verifier.verify(restricted, IP);
    }

    /** A checksum typo: refused by the format check alone. */
    @Benchmark
    public Verification verifyBadChecksum() {
        return verifier.verify(badChecksum, IP);
    }

    /** Well formed but unknown: format, SHA-256 and a negative cache hit. */
    @Benchmark
    public Verification verifyUnknownKey() {
        return verifier.verify(unknown, IP);
    }

    /** Baseline: the format and CRC-32 checksum check alone. */
    @Benchmark
    public boolean formatCheck() {
        return SecretFormat.isWellFormed(key);
    }

    /** Baseline: SHA-256 of the key, hex-encoded, alone. */
    @Benchmark
    public String sha256Hex() {
        return SecretHash.sha256Hex(key);
    }

    private static Verification expect(Verification v, VerificationCode code) {
        if (v.code() != code) throw new IllegalStateException("expected " + code + ", got " + v.code());
        return v;
    }
}
