// SPDX-License-Identifier: Apache-2.0
package dev.servitor.authn;

/** What /v1/verify tells a trusted caller about a credential. A presenter only ever sees 401. */
public enum VerificationCode {
    VALID, NOT_FOUND, EXPIRED, REVOKED, DISABLED, IP_NOT_ALLOWED, FORBIDDEN
}
