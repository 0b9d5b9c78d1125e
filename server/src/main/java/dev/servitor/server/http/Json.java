// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;

/**
 * The one JSON mapper: snake_case names, RFC 3339 UTC times, nulls written (absent members use
 * Optional-free records with @JsonInclude). It reads strictly, as the contract's "Conventions"
 * ask: a member name given twice, anything after the value, nesting deeper than
 * {@link #MAX_DEPTH} are errors ({@link JsonBody} answers them with 400).
 */
public final class Json {
    public static final int MAX_DEPTH = 64;
    private static final JsonFactory FACTORY = JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(MAX_DEPTH)
            .maxNumberLength(100) // 2^64 has 20 digits; nothing we accept comes near
            .maxNameLength(1000) // longer is an unknown member anyway
            .maxStringLength(JsonBody.MAX_BYTES)
            .build())
        .build();
    public static final ObjectMapper MAPPER = new ObjectMapper(FACTORY)
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .setSerializationInclusion(JsonInclude.Include.ALWAYS);

    private Json() {}

    /** Writes a response that carries a secret (a key, a client secret, a token): no cache may keep it. */
    public static void writeSecret(Context ctx, int status, Object body) {
        noStore(ctx);
        write(ctx, status, body);
    }

    static void noStore(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("Pragma", "no-cache");
    }

    public static void write(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + body.getClass().getSimpleName(), e);
        }
    }
}
