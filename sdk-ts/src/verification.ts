// SPDX-License-Identifier: Apache-2.0

/** The codes of `POST /v1/verify` (docs/api.md, "Verification"); a newer server may add more. */
export type VerificationCode =
  | "VALID"
  | "NOT_FOUND"
  | "EXPIRED"
  | "REVOKED"
  | "DISABLED"
  | "IP_NOT_ALLOWED"
  | "FORBIDDEN"
  /** The organization requires a network policy and none applies to the account (the credential is genuine). */
  | "NETWORK_POLICY_REQUIRED"
  | "RATE_LIMITED"
  | "USAGE_EXCEEDED"
  | (string & {});

/** Who a credential belongs to (or, as `actor`, the admin impersonating that principal). */
export interface Principal {
  id: string;
  type: "service_account" | "user" | (string & {});
  /** Null only for an offline check of a token whose subject is not a service account. */
  name: string | null;
  email: string | null;
  org: string | null;
}

export interface CredentialInfo {
  id: string | null;
  kind: "api_key" | "access_token" | "session" | (string & {});
  /** The key's `read_write` / `read_scaling`; null for an access token. */
  type: string | null;
  /** RFC 3339, or null when the credential does not expire. */
  expires_at: string | null;
  /**
   * For an access token exchanged for a federated workload's token (its `fed` claim): the issuer, the
   * subject it vouched for, and the service account's federated credential that matched. Absent otherwise.
   */
  federation?: Federation;
}

/** The workload an access token was issued to through federation (the token's `fed` claim). */
export interface Federation {
  /** The name of the federation issuer, as registered in Servitor. */
  issuer: string;
  /** The workload token's `sub`. */
  subject: string;
  /** The name of the service account's federated credential that matched. */
  credential: string;
}

/**
 * The answer about one credential, with the fields of `POST /v1/verify`: `principal`, `permissions` and
 * `credential` are present when the credential was recognised. `offline` is true when the answer comes
 * from the local JWT check rather than the server (then `permissions` is absent: a token does not carry them).
 */
export interface Verification {
  valid: boolean;
  code: VerificationCode;
  principal?: Principal;
  actor?: Principal;
  permissions?: string[];
  credential?: CredentialInfo;
  /** With `RATE_LIMITED`: when the key may be used again (the contract's per-key restrictions). */
  retry_after_seconds?: number;
  /** A key's per-key restrictions and remaining uses, as the server sends them, where set. */
  restrictions?: Record<string, unknown>;
  /** What is left of the restrictions (a number or an object, as the server sends it). */
  remaining?: unknown;
  offline?: boolean;
}
