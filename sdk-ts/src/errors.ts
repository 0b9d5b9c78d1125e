// SPDX-License-Identifier: Apache-2.0

/**
 * The server could not give an answer about a credential: unreachable, too slow, or it refused the
 * platform's own key (`status` 401 / 403: the key is wrong or lacks `verify`). Never an answer about the
 * presented credential, so it is never cached; a gateway should fail closed (the middleware answers 503).
 */
export class ServitorError extends Error {
  override readonly name: string = "ServitorError";
  /** The HTTP status, or 0 when no answer arrived (network failure, timeout). */
  readonly status: number;
  /** The problem document's `code` (e.g. `forbidden`), `timeout`, or `unreachable`. */
  readonly code: string;

  constructor(message: string, status: number, code: string, options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
    this.code = code;
  }
}

/**
 * No answer: the server is unreachable, too slow, answered a 5xx, or answered something that is not the
 * contract's (a proxy's error page, a body too large). Retry later; the middleware answers 503.
 */
export class ServitorUnavailableError extends ServitorError {
  override readonly name = "ServitorUnavailableError";
}

/**
 * The server refused the request itself with a 4xx: `status` 401 when the platform's key is wrong, 403
 * when it lacks `verify`. A configuration error, not a verdict on the presented credential.
 */
export class ServitorApiError extends ServitorError {
  override readonly name = "ServitorApiError";
}

/** Why an access token was refused offline. */
export type InvalidTokenReason =
  | "malformed"
  | "algorithm"
  | "unknown_key"
  | "signature"
  | "expired"
  | "not_yet_valid"
  | "issuer"
  | "audience"
  | "claims";

/** An access token refused by the offline check; `reason` is for logs, never for the presenter. */
export class InvalidTokenError extends Error {
  override readonly name = "InvalidTokenError";
  readonly reason: InvalidTokenReason;

  constructor(reason: InvalidTokenReason, message: string, options?: { cause?: unknown }) {
    super(`access token refused (${reason}): ${message}`, options);
    this.reason = reason;
  }
}
