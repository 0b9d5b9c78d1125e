// SPDX-License-Identifier: Apache-2.0
package dev.servitor.authn;

import dev.servitor.apikey.KeyRestrictions;
import dev.servitor.caller.Caller;

/**
 * The outcome of checking a credential; {@code caller} is set whenever the credential was found.
 * {@code restrictions}: those of an API key that has any (its permissions already narrow
 * {@code caller}'s), null otherwise.
 */
public record Verification(VerificationCode code, Caller caller, KeyRestrictions restrictions) {
    public static final Verification NOT_FOUND = new Verification(VerificationCode.NOT_FOUND, null);

    public Verification(VerificationCode code, Caller caller) {
        this(code, caller, null);
    }

    public boolean valid() {
        return code == VerificationCode.VALID;
    }
}
