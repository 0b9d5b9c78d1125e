// SPDX-License-Identifier: Apache-2.0
package dev.servitor.authn;

/** What /v1/verify tells a trusted caller about a credential. A presenter only ever sees 401. */
public enum VerificationCode {
    VALID, NOT_FOUND, EXPIRED, REVOKED, DISABLED, IP_NOT_ALLOWED, FORBIDDEN,
    /** A service account of an organization whose credential policy requires a network policy, with none applying to it. */
    NETWORK_POLICY_REQUIRED,
    /** An API key past its {@code rate_limit}: {@link Verification#retryAfterSeconds} says when to try again. */
    RATE_LIMITED,
    /** An API key whose {@code remaining_uses} are spent (until its next refill, if it has one). */
    USAGE_EXCEEDED
}
