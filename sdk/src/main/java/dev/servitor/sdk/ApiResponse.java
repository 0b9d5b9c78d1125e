// SPDX-License-Identifier: Apache-2.0
package dev.servitor.sdk;

import java.util.List;
import java.util.Map;

/**
 * The answer of {@link ServitorClient#send}: the status and the parsed body (a {@code Map}, a
 * {@code List}, or null when the body was empty). May carry secrets: its toString shows neither body nor secret.
 */
public record ApiResponse(int status, Object json) {
    /** The body as a JSON object, or an empty map when it is not one. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> object() {
        return json instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** The body as a JSON array, or an empty list when it is not one. */
    @SuppressWarnings("unchecked")
    public List<Object> array() {
        return json instanceof List<?> l ? (List<Object>) l : List.of();
    }

    @Override
    public String toString() {
        return "ApiResponse[status=" + status + "]"; // the body may hold a secret
    }
}
