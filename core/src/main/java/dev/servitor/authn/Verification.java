// SPDX-License-Identifier: Apache-2.0
package dev.servitor.authn;

import dev.servitor.apikey.KeyRestrictions;
import dev.servitor.caller.Caller;

/**
 * The outcome of checking a credential; {@code caller} is set whenever the credential was found.
 * {@code restrictions}: those of an API key that has any (its permissions already narrow
 * {@code caller}'s), null otherwise. {@code retryAfterSeconds}: set with
 * {@link VerificationCode#RATE_LIMITED}. {@code remaining}: the uses a key with
 * {@code remaining_uses} has left after this one (0 with {@link VerificationCode#USAGE_EXCEEDED}),
 * null for any other credential or when the check stopped before its uses were counted.
 */
public record Verification(VerificationCode code, Caller caller, KeyRestrictions restrictions, Long retryAfterSeconds,
                           Long remaining) {
    public static final Verification NOT_FOUND = new Verification(VerificationCode.NOT_FOUND, null);

    public Verification(VerificationCode code, Caller caller) {
        this(code, caller, null);
    }

    public Verification(VerificationCode code, Caller caller, KeyRestrictions restrictions) {
        this(code, caller, restrictions, null, null);
    }

    public boolean valid() {
        return code == VerificationCode.VALID;
    }
}
