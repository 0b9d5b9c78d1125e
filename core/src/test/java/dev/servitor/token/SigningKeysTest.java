// SPDX-License-Identifier: Apache-2.0
package dev.servitor.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.SignedJWT;
import dev.servitor.Servitor;
import dev.servitor.account.NewServiceAccount;
import dev.servitor.authn.VerificationCode;
import dev.servitor.caller.Caller;
import dev.servitor.config.ServitorConfig;
import dev.servitor.oauth.TokenService;
import dev.servitor.oauthclient.GeneratedSecret;
import dev.servitor.testing.MutableClock;
import dev.servitor.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Signing keys persist (encrypted) across restarts, and rotation keeps old tokens valid until they expire. */
class SigningKeysTest {

    private static Caller admin(Servitor s) {
        return s.verifier().verify(s.generatedAdminKey().orElseThrow(), "127.0.0.1").caller();
    }

    private static GeneratedSecret client(Servitor s, Caller admin, String name) {
        s.serviceAccounts().create(admin, new NewServiceAccount(name, null, null, null, null, null), false, false);
        return s.clientSecrets().generate(admin, name, null);
    }

    private static String grant(Servitor s, GeneratedSecret c) {
        return s.tokens().clientCredentials(c.clientId(), c.clientSecret(), TokenService.Requested.NOTHING, "127.0.0.1").accessToken();
    }

    @Test
    void keys_survive_a_restart_and_rotation_keeps_old_tokens_until_they_expire() throws Exception {
        ServitorConfig config = ServitorConfig.defaults().withStorage(TestDatabases.sqlite());
        MutableClock clock = MutableClock.atDefaultStart();
        String token;
        GeneratedSecret client;
        try (Servitor first = Servitor.start(config, clock)) {
            client = client(first, admin(first), "etl");
            token = grant(first, client);
            assertThat(first.verifier().verify(token, null).code()).isEqualTo(VerificationCode.VALID);
        }
        assertThat(Files.getPosixFilePermissions(config.storage().dataDir().resolve("master.key")))
            .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        try (Servitor second = Servitor.start(config, clock)) {
            assertThat(second.verifier().verify(token, null).code()).as("same key after restart").isEqualTo(VerificationCode.VALID);
            String oldKid = SignedJWT.parse(token).getHeader().getKeyID();
            String newKid = second.signingKeys().rotate();
            assertThat(newKid).isNotEqualTo(oldKid);
            String fresh = grant(second, client);
            assertThat(SignedJWT.parse(fresh).getHeader().getKeyID()).isEqualTo(newKid);
            assertThat(second.verifier().verify(token, null).code()).as("old token still valid").isEqualTo(VerificationCode.VALID);
            assertThat(second.signingKeys().publicJwks().getKeys()).extracting(k -> k.getKeyID()).contains(oldKid, newKid);
            assertThat(second.signingKeys().publicJwks().getKeys()).allMatch(k -> !k.isPrivate());
            clock.advance(Duration.ofSeconds(config.tokens().maxLifetimeSeconds() + 1));
            assertThat(second.signingKeys().publicJwks().getKeys()).extracting(k -> k.getKeyID()).containsExactly(newKid);
        }
    }

    @Test
    void another_master_key_cannot_read_the_signing_keys() {
        ServitorConfig config = ServitorConfig.defaults().withStorage(TestDatabases.sqlite());
        try (Servitor s = Servitor.start(config, MutableClock.atDefaultStart())) {
            assertThat(s.signingKeys().all()).hasSize(1);
        }
        ServitorConfig other = config.withTokens(new ServitorConfig.Tokens(MasterKey.generateBase64(), 86_400, 604_800, 7_200));
        assertThatThrownBy(() -> Servitor.start(other, MutableClock.atDefaultStart()))
            .hasMessageContaining("wrong master key");
    }

    @Test
    void the_private_key_is_not_stored_in_clear() throws Exception {
        ServitorConfig config = ServitorConfig.defaults().withStorage(TestDatabases.sqlite());
        try (Servitor s = Servitor.start(config, MutableClock.atDefaultStart())) {
            String d = s.signingKeys().current().key().getD().toString();
            try (var c = s.database().dataSource().getConnection(); var st = c.createStatement();
                 var rs = st.executeQuery("SELECT public_jwk, private_key_enc FROM signing_keys")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).doesNotContain("\"d\"");
                assertThat(rs.getString(2)).doesNotContain(d);
            }
        }
    }

    @Test
    void a_master_key_must_be_32_bytes() {
        assertThatThrownBy(() -> MasterKey.fromBase64("c2hvcnQ=")).hasMessageContaining("32 bytes");
        assertThat(Set.of(MasterKey.generateBase64(), MasterKey.generateBase64())).hasSize(2);
    }
}
