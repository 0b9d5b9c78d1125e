// SPDX-License-Identifier: Apache-2.0
package dev.servitor.caller;

import java.time.Instant;

/** The non-secret facts of a presented credential: its id, kind, key type and expiry. */
public record CredentialInfo(String id, CredentialKind kind, String type, Instant expiresAt) {}
