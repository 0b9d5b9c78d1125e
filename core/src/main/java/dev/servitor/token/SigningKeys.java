// SPDX-License-Identifier: Apache-2.0
package dev.servitor.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.servitor.common.Ids;
import dev.servitor.store.Store;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * The ES256 keys that sign access tokens. The newest unretired key signs; retired keys stay in
 * the JWKS (and keep verifying) for the longest token lifetime after retirement. Generated on
 * first start; rotated by {@code servitor signing-keys rotate}, which another node picks up on
 * its next reload (at most {@link #RELOAD_EVERY}, or at once when it meets an unknown kid).
 */
public final class SigningKeys {
    static final Duration RELOAD_EVERY = Duration.ofSeconds(30);
    private static final Duration MIN_RELOAD_GAP = Duration.ofSeconds(1);

    /** One usable key with its signer and verifier made once. */
    public record Loaded(String kid, ECKey key, Instant retiredAt, JWSSigner signer, JWSVerifier verifier) {}

    private final Store store;
    private final MasterKey master;
    private final Clock clock;
    private final Duration keepRetired;
    private volatile List<Loaded> keys = List.of();
    private volatile Instant loadedAt = Instant.EPOCH;

    public SigningKeys(Store store, MasterKey master, Clock clock, Duration keepRetired) {
        this.store = store;
        this.master = master;
        this.clock = clock;
        this.keepRetired = keepRetired;
    }

    /** Creates the first key when there is none, then loads them all. */
    public void ensureCurrent() {
        store.write(tx -> {
            boolean hasCurrent = tx.table(SigningKeyStore.class).listUsable(clock.instant()).stream().anyMatch(r -> r.retiredAt() == null);
            if (!hasCurrent) tx.table(SigningKeyStore.class).insert(generate());
            return null;
        });
        reload();
    }

    /** Retires the current key and makes a new one current; returns the new kid. */
    public String rotate() {
        SigningKeyStore.Row row = generate();
        store.write(tx -> {
            tx.table(SigningKeyStore.class).retireCurrent(clock.instant());
            tx.table(SigningKeyStore.class).insert(row);
            return null;
        });
        reload();
        return row.kid();
    }

    public Loaded current() {
        if (clock.instant().isAfter(loadedAt.plus(RELOAD_EVERY))) reload();
        return keys.stream().filter(k -> k.retiredAt() == null).findFirst()
            .orElseThrow(() -> new IllegalStateException("no current signing key"));
    }

    public Optional<Loaded> find(String kid) {
        Optional<Loaded> hit = keys.stream().filter(k -> k.kid().equals(kid)).findFirst();
        if (hit.isEmpty() && clock.instant().isAfter(loadedAt.plus(MIN_RELOAD_GAP))) {
            reload(); // perhaps rotated by another node or the CLI
            hit = keys.stream().filter(k -> k.kid().equals(kid)).findFirst();
        }
        return hit.filter(k -> k.retiredAt() == null || clock.instant().isBefore(k.retiredAt().plus(keepRetired)));
    }

    /** The public halves of every usable key: what /.well-known/jwks.json serves. */
    public JWKSet publicJwks() {
        if (clock.instant().isAfter(loadedAt.plus(RELOAD_EVERY))) reload();
        return new JWKSet(keys.stream().map(k -> (JWK) k.key().toPublicJWK()).toList());
    }

    public List<Loaded> all() {
        return keys;
    }

    public synchronized void reload() {
        Instant now = clock.instant();
        List<SigningKeyStore.Row> rows = store.read(tx -> tx.table(SigningKeyStore.class).listUsable(now.minus(keepRetired)));
        keys = rows.stream().map(this::load).toList();
        loadedAt = now;
    }

    private Loaded load(SigningKeyStore.Row row) {
        try {
            ECKey key = ECKey.parse(master.decrypt(row.privateKeyEncrypted(), row.kid()));
            JWSVerifier verifier = new ECDSAVerifier(key.toECPublicKey());
            return new Loaded(row.kid(), key, row.retiredAt(), new Es256Signer(key.toECPrivateKey(), verifier), verifier);
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("signing key " + row.kid() + " is unreadable", e);
        }
    }

    private SigningKeyStore.Row generate() {
        try {
            Instant now = clock.instant();
            String kid = Ids.newId("sk");
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID(kid).algorithm(JWSAlgorithm.ES256).keyUse(KeyUse.SIGNATURE)
                .issueTime(Date.from(now)).generate();
            return new SigningKeyStore.Row(kid, "ES256", key.toPublicJWK().toJSONString(),
                master.encrypt(key.toJSONString(), kid), now, null);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a signing key", e);
        }
    }
}
