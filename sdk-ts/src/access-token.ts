// SPDX-License-Identifier: Apache-2.0
import { createLocalJWKSet, errors, jwtVerify } from "jose";
import type { JSONWebKeySet, JWTPayload, JWTVerifyGetKey } from "jose";
import { InvalidTokenError, ServitorError, ServitorUnavailableError } from "./errors.js";
import { requestJson, type FetchLike } from "./http.js";

/** A token that passed every offline check. `actor` is the impersonating admin's subject, when there is one. */
export interface VerifiedToken {
  subject: string;
  email: string | null;
  org: string | null;
  audience: string[];
  expiresAt: Date;
  actor: string | null;
  tokenId: string;
  claims: JWTPayload;
}

export interface AccessTokenVerifierOptions {
  /** The exact `iss` to require (Servitor's public URL). */
  issuer: string;
  /** Where the signing keys are: Servitor's `/.well-known/jwks.json`. */
  jwksUrl: string;
  /** The `aud` to require (any one of a list); default the issuer, Servitor's default audience. */
  audience?: string | string[];
  /** Allowed clock difference for `exp` and `nbf`; default 60 s. */
  clockToleranceSeconds?: number;
  /** Fewest milliseconds between two fetches of the JWKS caused by an unknown `kid`; default one minute. */
  refetchIntervalMs?: number;
  /** After this long the key set is fetched again before its next use; default 10 minutes. */
  maxAgeMs?: number;
  timeoutMs?: number;
  fetch?: FetchLike;
}

/**
 * Checks Servitor access tokens (ES256 JWTs) offline against the issuer's JWKS. The token never picks its
 * own algorithm: only ES256 is accepted, so `none` and HMAC are refused before any key is looked at. Checks
 * `iss`, `aud`, `exp`/`nbf` with a minute of clock skew, and that `sub`, `iat` and `jti` are present.
 *
 * The key set is fetched on first use and cached; a token whose `kid` is not in it refetches the set (a
 * key rotation needs nothing), at most once per `refetchIntervalMs`, so tokens with made-up `kid`s cannot
 * make this process hammer the server.
 *
 * Offline checks cannot see a revoked token, a disabled or deleted account, or a secret replaced without
 * grace: such tokens pass here until they expire. Where that matters, use {@link Verifier.verify}.
 */
export class AccessTokenVerifier {
  private readonly issuer: string;
  private readonly audience: string | string[];
  private readonly clockTolerance: number;
  private readonly keys: JwksCache;

  constructor(options: AccessTokenVerifierOptions) {
    if (!options.issuer) throw new TypeError("issuer is required");
    this.issuer = options.issuer;
    this.audience = options.audience ?? options.issuer;
    this.clockTolerance = options.clockToleranceSeconds ?? 60;
    this.keys = new JwksCache(
      options.jwksUrl,
      options.fetch ?? fetch,
      options.timeoutMs ?? 5000,
      options.refetchIntervalMs ?? 60_000,
      options.maxAgeMs ?? 600_000,
    );
  }

  /** How many times the key set was fetched (for tests and metrics). */
  get jwksFetches(): number {
    return this.keys.fetches;
  }

  /**
   * @throws InvalidTokenError when the token is malformed, badly signed, expired, or for another issuer or audience
   * @param options.audience the `aud` to require for this token instead of the verifier's
   * @throws ServitorError when the key set cannot be fetched (nothing is known about the token then)
   */
  async verify(token: string, options: { audience?: string | string[] } = {}): Promise<VerifiedToken> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys.getKey, {
        algorithms: ["ES256"],
        issuer: this.issuer,
        audience: options.audience ?? this.audience,
        clockTolerance: this.clockTolerance,
        requiredClaims: ["sub", "exp", "iat", "jti"],
      }));
    } catch (e) {
      throw refusal(e);
    }
    const act = payload["act"];
    const actor = act && typeof act === "object" && typeof (act as { sub?: unknown }).sub === "string"
      ? (act as { sub: string }).sub : null;
    return {
      subject: payload.sub!,
      email: typeof payload["email"] === "string" ? payload["email"] : null,
      org: typeof payload["org"] === "string" ? payload["org"] : null,
      audience: payload.aud === undefined ? [] : Array.isArray(payload.aud) ? payload.aud : [payload.aud],
      expiresAt: new Date(payload.exp! * 1000),
      actor,
      tokenId: payload.jti!,
      claims: payload,
    };
  }
}

function refusal(e: unknown): Error {
  if (e instanceof ServitorError || e instanceof InvalidTokenError) return e;
  const message = (e as Error)?.message ?? String(e);
  if (e instanceof errors.JWTExpired) return new InvalidTokenError("expired", message, { cause: e });
  if (e instanceof errors.JWTClaimValidationFailed) {
    const reason = e.claim === "iss" ? "issuer" : e.claim === "aud" ? "audience" : e.claim === "nbf" ? "not_yet_valid" : "claims";
    return new InvalidTokenError(reason, message, { cause: e });
  }
  if (e instanceof errors.JOSEAlgNotAllowed || e instanceof errors.JOSENotSupported) return new InvalidTokenError("algorithm", message, { cause: e });
  if (e instanceof errors.JWKSNoMatchingKey || e instanceof errors.JWKSMultipleMatchingKeys) return new InvalidTokenError("unknown_key", message, { cause: e });
  if (e instanceof errors.JWSSignatureVerificationFailed) return new InvalidTokenError("signature", message, { cause: e });
  return new InvalidTokenError("malformed", message, { cause: e });
}

/** The issuer's key set, fetched lazily, refreshed after `maxAgeMs`, refetched on an unknown `kid` (rate-limited). */
class JwksCache {
  fetches = 0;
  private set: ReturnType<typeof createLocalJWKSet> | undefined;
  private loadedAt = 0;
  private lastAttempt = -Infinity;
  private lastUnknownKidFetch = -Infinity;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly url: string,
    private readonly fetchImpl: FetchLike,
    private readonly timeoutMs: number,
    private readonly refetchIntervalMs: number,
    private readonly maxAgeMs: number,
  ) {}

  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    const now = Date.now();
    const fresh = !this.set;
    if (fresh) await this.load();
    else if (now - this.loadedAt > this.maxAgeMs && now - this.lastAttempt >= this.refetchIntervalMs) {
      // A failed refresh keeps the set we have: the keys do not go bad because the server is briefly away.
      await this.load().catch(() => undefined);
    }
    try {
      return await this.set!(header, token);
    } catch (e) {
      if (!(e instanceof errors.JWKSNoMatchingKey) || fresh || Date.now() - this.lastUnknownKidFetch < this.refetchIntervalMs) throw e;
      this.lastUnknownKidFetch = Date.now();
      await this.load();
      return await this.set!(header, token);
    }
  };

  private load(): Promise<void> {
    // Concurrent verifications that need the set share one fetch.
    this.loading ??= this.fetchSet().finally(() => { this.loading = undefined; });
    return this.loading;
  }

  private async fetchSet(): Promise<void> {
    this.lastAttempt = Date.now();
    this.fetches++;
    const body = await requestJson(this.fetchImpl, this.url, { headers: { accept: "application/json" } }, this.timeoutMs);
    if (!body || typeof body !== "object" || !Array.isArray((body as { keys?: unknown }).keys)) {
      throw new ServitorUnavailableError(`${this.url} is not a JWK set`, 200, "invalid_answer");
    }
    this.set = createLocalJWKSet(body as JSONWebKeySet);
    this.loadedAt = Date.now();
  }
}
