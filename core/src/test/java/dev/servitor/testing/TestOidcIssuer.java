// SPDX-License-Identifier: Apache-2.0
package dev.servitor.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A workload platform's OIDC issuer, for tests: a real HTTP server on loopback serving a
 * discovery document and a JWKS, with RSA and EC signing keys, key rotation and a count of
 * key-set fetches. It signs tokens shaped like those of GitHub Actions, GitLab CI, Kubernetes
 * projected service-account tokens and SPIFFE JWT-SVIDs, with their real claim names. It can be
 * told to answer 503 (an outage), and to sign badly (alg none, HMAC with the public key's bytes).
 */
public final class TestOidcIssuer implements AutoCloseable {
    private final HttpServer server;
    private final List<JWK> published = new CopyOnWriteArrayList<>();
    private volatile JWK current;
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private final AtomicInteger discoveryFetches = new AtomicInteger();
    private volatile boolean down;

    public TestOidcIssuer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/.well-known/openid-configuration", ex -> {
            discoveryFetches.incrementAndGet();
            answer(ex, "{\"issuer\":\"" + url() + "\",\"jwks_uri\":\"" + jwksUri() + "\",\"id_token_signing_alg_values_supported\":[\"RS256\",\"ES256\"]}");
        });
        server.createContext("/jwks", ex -> {
            jwksFetches.incrementAndGet();
            answer(ex, publicJwks());
        });
        server.start();
        rotate(rsa());
    }

    private void answer(HttpExchange ex, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (down) {
            ex.sendResponseHeaders(503, -1);
            ex.close();
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    /** The issuer URL: the {@code iss} of its tokens. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String jwksUri() {
        return url() + "/jwks";
    }

    /** The key set it publishes, as JSON (public keys only). */
    public String publicJwks() {
        return new JWKSet(new ArrayList<>(published)).toString(true);
    }

    /** A new RSA 2048 signing key. */
    public static RSAKey rsa() {
        try {
            return new RSAKeyGenerator(2048).keyID("rsa-" + UUID.randomUUID()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new EC P-256 signing key. */
    public static ECKey ec() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID("ec-" + UUID.randomUUID()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes {@code key} next to the keys already published and signs with it from now on. */
    public void rotate(JWK key) {
        published.add(key);
        current = key;
    }

    /** Signs with {@code key} from now on without publishing it (a key the verifier cannot know). */
    public void signWithUnpublished(JWK key) {
        current = key;
    }

    public JWK currentKey() {
        return current;
    }

    public int jwksFetches() {
        return jwksFetches.get();
    }

    public int discoveryFetches() {
        return discoveryFetches.get();
    }

    /** While down, every request is answered 503. */
    public void down(boolean down) {
        this.down = down;
    }

    // ---- tokens ----

    /** Claims of a GitHub Actions OIDC token for {@code owner/repo} on {@code ref}. */
    public JWTClaimsSet.Builder github(String audience, String owner, String repo, String ref, Instant now) {
        String repository = owner + "/" + repo;
        return base(audience, "repo:" + repository + ":ref:" + ref, now)
            .claim("repository", repository).claim("repository_owner", owner).claim("repository_owner_id", "4242")
            .claim("repository_id", "777").claim("ref", ref).claim("ref_type", "branch").claim("sha", "abc123")
            .claim("workflow", "deploy").claim("event_name", "push").claim("actor", "octocat").claim("run_id", "1")
            .claim("job_workflow_ref", repository + "/.github/workflows/deploy.yml@" + ref).claim("environment", "production");
    }

    /** Claims of a GitLab CI id token for {@code group/project} on {@code ref}. */
    public JWTClaimsSet.Builder gitlab(String audience, String group, String project, String ref, Instant now) {
        String path = group + "/" + project;
        return base(audience, "project_path:" + path + ":ref_type:branch:ref:" + ref, now)
            .claim("namespace_id", "11").claim("namespace_path", group).claim("project_id", "22").claim("project_path", path)
            .claim("ref", ref).claim("ref_type", "branch").claim("ref_protected", "true").claim("pipeline_source", "push")
            .claim("user_login", "dev");
    }

    /** Claims of a Kubernetes projected service-account token for {@code namespace/name}. */
    public JWTClaimsSet.Builder kubernetes(String audience, String namespace, String name, Instant now) {
        return base(audience, "system:serviceaccount:" + namespace + ":" + name, now)
            .claim("kubernetes.io", Map.of("namespace", namespace,
                "serviceaccount", Map.of("name", name, "uid", UUID.randomUUID().toString()),
                "pod", Map.of("name", name + "-7d9f", "uid", UUID.randomUUID().toString())));
    }

    /** Claims of a SPIFFE JWT-SVID for {@code spiffeId}. */
    public JWTClaimsSet.Builder spiffe(String audience, String spiffeId, Instant now) {
        return base(audience, spiffeId, now);
    }

    private JWTClaimsSet.Builder base(String audience, String subject, Instant now) {
        return new JWTClaimsSet.Builder().issuer(url()).subject(subject).audience(audience).issueTime(Date.from(now))
            .notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).jwtID(UUID.randomUUID().toString());
    }

    /** The claims signed with the current key (RS256 for RSA, ES256 for EC), its kid in the header. */
    public String sign(JWTClaimsSet.Builder claims) {
        return sign(claims.build(), current);
    }

    public static String sign(JWTClaimsSet claims, JWK key) {
        try {
            JWSSigner signer;
            JWSAlgorithm alg;
            if (key instanceof RSAKey rsa) {
                signer = new RSASSASigner(rsa);
                alg = JWSAlgorithm.RS256;
            } else {
                signer = new ECDSASigner((ECKey) key);
                alg = JWSAlgorithm.ES256;
            }
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The claims with {@code alg} none and no signature, naming the current key. */
    public String unsigned(JWTClaimsSet.Builder claims) {
        String header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + current.getKeyID() + "\"}").toString();
        return header + "." + Base64URL.encode(claims.build().toString()) + ".";
    }

    /**
     * The claims "signed" HS256 with the bytes of the current public key's JSON as the shared
     * secret: what an attacker who read the JWKS could make, against a verifier that takes the
     * algorithm from the token.
     */
    public String hmacWithPublicKey(JWTClaimsSet.Builder claims) {
        try {
            byte[] secret = current.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(current.getKeyID()).build(), claims.build());
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token signed with the current key whose signature is then damaged. */
    public String badSignature(JWTClaimsSet.Builder claims) {
        String token = sign(claims);
        char last = token.charAt(token.length() - 2);
        return token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
