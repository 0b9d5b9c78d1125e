// SPDX-License-Identifier: Apache-2.0
package dev.servitor.federation;

/**
 * Why a workload token was not accepted ({@code reason}: a short code such as {@code expired} or
 * {@code bad_signature}). It goes to the audit event only: the presenter gets one uniform
 * {@code invalid_grant}, so that it cannot probe which check failed.
 */
public final class FederationRefusal extends RuntimeException {
    private final String reason;

    public FederationRefusal(String reason) {
        super(reason, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
