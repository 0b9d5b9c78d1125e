// SPDX-License-Identifier: Apache-2.0
package dev.servitor.sdk;

/**
 * The answer of {@code POST /v1/verify}: {@code code} is VALID, NOT_FOUND, EXPIRED, REVOKED, DISABLED,
 * IP_NOT_ALLOWED or FORBIDDEN; {@code identity} is present when the credential was recognised.
 */
public record Verification(boolean valid, String code, Identity identity) {}
