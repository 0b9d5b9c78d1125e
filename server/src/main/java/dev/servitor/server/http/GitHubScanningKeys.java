// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.outbound.OutboundHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GitHub's secret-scanning public keys ({@code {"public_keys":[{"key_identifier","key","is_current"}]}})
 * and the check of a payload's signature (ECDSA P-256 with SHA-256, base64 DER) against them.
 * The keys come from a URL (through {@link OutboundHttp}: no redirects, private addresses
 * refused) or a file; they are cached, and fetched again when a request names an identifier
 * not among them, at most once a minute, so a stream of made-up identifiers cannot make
 * Servitor hammer GitHub.
 */
final class GitHubScanningKeys {
    private static final Logger LOG = LoggerFactory.getLogger(GitHubScanningKeys.class);
    static final long REFETCH_INTERVAL_MILLIS = 60_000;
    private static final int MAX_KEYS_BYTES = 256 * 1024;

    private final OutboundHttp http;
    private final String url;
    private final Path file;
    private final LongSupplier millis;
    private volatile Map<String, PublicKey> keys = Map.of();
    private long lastFetch = Long.MIN_VALUE;

    /** {@code url} or {@code file} (both null: no keys, every signature refused). */
    GitHubScanningKeys(OutboundHttp http, String url, Path file, LongSupplier millis) {
        this.http = http;
        this.url = url;
        this.file = file;
        this.millis = millis;
    }

    /** True if {@code signatureBase64} is a signature of {@code body} by the key named {@code identifier}. */
    boolean verifies(String identifier, String signatureBase64, byte[] body) {
        if (identifier == null || signatureBase64 == null) return false;
        PublicKey key = keys.get(identifier);
        if (key == null) key = refetched().get(identifier);
        if (key == null) return false;
        byte[] der;
        try {
            der = Base64.getDecoder().decode(signatureBase64.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        try {
            Signature ecdsa = Signature.getInstance("SHA256withECDSA");
            ecdsa.initVerify(key);
            ecdsa.update(body);
            return ecdsa.verify(der);
        } catch (GeneralSecurityException e) {
            return false; // a malformed DER signature
        }
    }

    private synchronized Map<String, PublicKey> refetched() {
        long now = millis.getAsLong();
        if (lastFetch != Long.MIN_VALUE && now - lastFetch < REFETCH_INTERVAL_MILLIS) return keys;
        lastFetch = now;
        if (url == null && file == null) return keys;
        try {
            String json;
            if (file != null) {
                json = Files.readString(file, StandardCharsets.UTF_8);
            } else {
                OutboundHttp.Answer answer = http.get(url, Map.of("Accept", "application/json"), MAX_KEYS_BYTES);
                if (!answer.successful()) {
                    LOG.warn("GitHub secret-scanning keys: {} answered {}", url, answer.status());
                    return keys;
                }
                json = answer.body();
            }
            keys = parse(json);
        } catch (OutboundHttp.CallFailed | java.io.IOException | RuntimeException e) {
            LOG.warn("GitHub secret-scanning keys could not be read: {}", e.getMessage());
        }
        return keys;
    }

    /** Every key of GitHub's document, by identifier; a key that does not parse is left out. */
    static Map<String, PublicKey> parse(String json) throws java.io.IOException {
        JsonNode root = Json.MAPPER.readTree(json);
        Map<String, PublicKey> parsed = new HashMap<>();
        JsonNode list = root == null ? null : root.get("public_keys");
        if (list == null || !list.isArray()) throw new java.io.IOException("no public_keys array");
        for (JsonNode k : list) {
            JsonNode id = k.get("key_identifier");
            JsonNode pem = k.get("key");
            if (id == null || pem == null || !id.isTextual() || !pem.isTextual()) continue;
            try {
                parsed.put(id.textValue(), publicKey(pem.textValue()));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                LOG.warn("GitHub secret-scanning key {} does not parse: {}", id.textValue(), e.getMessage());
            }
        }
        return Map.copyOf(parsed);
    }

    private static PublicKey publicKey(String pem) throws GeneralSecurityException {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
