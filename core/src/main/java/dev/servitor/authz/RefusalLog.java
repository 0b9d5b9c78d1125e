// SPDX-License-Identifier: Apache-2.0
package dev.servitor.authz;

import dev.servitor.caller.Caller;

/**
 * Where the {@link Authorizer} records each refusal. The audit log implements it: it sits above
 * the authorizer (reading the log is itself a decision the authorizer makes), so the authorizer
 * names only this.
 */
public interface RefusalLog {
    /** Records that {@code caller} was refused {@code action} on {@code target}, in a transaction of its own. */
    void denied(Caller caller, String action, String target);
}
