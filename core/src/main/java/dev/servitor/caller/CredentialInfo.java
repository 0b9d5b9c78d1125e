// SPDX-License-Identifier: Apache-2.0
package dev.servitor.caller;

import java.time.Instant;

/**
 * The non-secret facts of a presented credential: its id, kind, key type and expiry, and for an
 * access token obtained by workload identity federation, where it came from ({@code federation},
 * else null). {@code restricted}: an API key with restrictions (docs/api.md "Per-key restrictions"),
 * which acts for its owner only within them and so never as that user itself (its record, its keys).
 */
public record CredentialInfo(String id, CredentialKind kind, String type, Instant expiresAt, FederatedIdentity federation,
                             boolean restricted) {
    public CredentialInfo(String id, CredentialKind kind, String type, Instant expiresAt, FederatedIdentity federation) {
        this(id, kind, type, expiresAt, federation, false);
    }

    public CredentialInfo(String id, CredentialKind kind, String type, Instant expiresAt) {
        this(id, kind, type, expiresAt, null, false);
    }
}
