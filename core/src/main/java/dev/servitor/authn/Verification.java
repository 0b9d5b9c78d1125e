// SPDX-License-Identifier: Apache-2.0
package dev.servitor.authn;

import dev.servitor.caller.Caller;

/** The outcome of checking a credential; {@code caller} is set whenever the credential was found. */
public record Verification(VerificationCode code, Caller caller) {
    public static final Verification NOT_FOUND = new Verification(VerificationCode.NOT_FOUND, null);

    public boolean valid() {
        return code == VerificationCode.VALID;
    }
}
