// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.apikey.RestrictionsInput;
import java.util.Set;

/**
 * The {@code restrictions} member of a key creation or update (docs/api.md "Per-key
 * restrictions"), read as sent: wrong types are 400 naming the member
 * ({@code restrictions.rate_limit.limit}); values are judged by {@link RestrictionsInput#validate}.
 */
final class RestrictionsBody {
    private static final Set<String> RATE_FIELDS = Set.of("limit", "period_seconds");
    private static final Set<String> REFILL_FIELDS = Set.of("amount", "interval");

    private RestrictionsBody() {}

    /** {@code restrictions} of {@code body}, which must be present and not null. */
    static RestrictionsInput read(JsonBody body) {
        JsonBody r = body.object("restrictions", RestrictionsInput.MEMBERS);
        RestrictionsInput.Rate rate = null;
        if (r.has("rate_limit") && !r.isNull("rate_limit")) {
            JsonBody rl = r.object("rate_limit", RATE_FIELDS);
            rate = new RestrictionsInput.Rate(rl.integer("limit"), rl.integer("period_seconds"));
        }
        RestrictionsInput.RefillInput refill = null;
        if (r.has("refill") && !r.isNull("refill")) {
            JsonBody f = r.object("refill", REFILL_FIELDS);
            refill = new RestrictionsInput.RefillInput(f.integer("amount"), f.string("interval"));
        }
        return new RestrictionsInput(r.strings("permissions"), r.strings("allowed_ips"), rate, r.integer("remaining_uses"),
            refill, r.names());
    }
}
