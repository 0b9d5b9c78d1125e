// SPDX-License-Identifier: Apache-2.0
import { AccessTokenVerifier, type VerifiedToken } from "./access-token.js";
import { AnswerCache } from "./answer-cache.js";
import { InvalidTokenError, ServitorUnavailableError } from "./errors.js";
import { requestJson, type FetchLike } from "./http.js";
import { isWellFormedKey, looksLikeJwt } from "./key-format.js";
import type { CredentialInfo, Federation, Principal, Verification } from "./verification.js";

/** The longest a refusal may be remembered: a key created a moment after it was refused must work soon. */
export const MAX_NEGATIVE_CACHE_TTL_MS = 5000;

export interface VerifierOptions {
  /** Servitor's base URL, e.g. `https://servitor.internal:8080`. */
  url: string;
  /** The platform's own API key (or access token) holding the `verify` permission. */
  key: string;
  /** How long a valid answer is reused (never past the credential's own expiry); default 10 000 ms, 0 turns it off. */
  cacheTtlMs?: number;
  /** How long a refusal is reused; default 0 (never), at most 5000 ms. */
  negativeCacheTtlMs?: number;
  /** The most answers kept; default 10 000. */
  maxCacheEntries?: number;
  /** The deadline of each request to the server; default 5000 ms. */
  timeoutMs?: number;
  /** Refuse, without a request, keys whose prefix is not this one (the deployment's `SERVITOR_KEY_PREFIX`). */
  keyPrefix?: string;
  /**
   * Check access tokens (JWTs) locally against the JWKS instead of asking the server, when no permission is
   * asked for. Faster and works while the server is away, but blind to revocation, disabled accounts and
   * network policies: see the README. Default false.
   */
  offlineTokens?: boolean;
  /** The `aud` an access token must carry for the offline check; default the issuer. */
  audience?: string | string[];
  /** The `iss` of access tokens; default the `issuer` of the server's `/.well-known/oauth-authorization-server`. */
  issuer?: string;
  /** Where the signing keys are; default the `jwks_uri` of the server's `/.well-known/oauth-authorization-server`. */
  jwksUrl?: string;
  /** A `fetch` to use instead of the global one (a proxy agent, instrumentation). */
  fetch?: FetchLike;
}

export interface VerifyOptions {
  /** A permission the credential's principal must hold; otherwise the answer is `FORBIDDEN`. */
  permission?: string;
  /** The presenter's address, for the principal's network policy (`IP_NOT_ALLOWED`). */
  ip?: string;
}

const NOT_FOUND: Verification = Object.freeze({ valid: false, code: "NOT_FOUND" });

/**
 * Verifies the credentials that callers present to a platform, through Servitor's `POST /v1/verify`.
 *
 * - A string that is neither a well-formed key (prefix, base62, CRC-32 checksum) nor shaped like a JWT is
 *   `NOT_FOUND` at once, without a request.
 * - With `offlineTokens`, a JWT is checked against the JWKS instead (unless a permission is asked for);
 *   its answers are cached by the same rules.
 * - Valid answers are reused for `cacheTtlMs` (10 s by default; never past the credential's `expires_at`),
 *   so a revoked key keeps working here for at most that long. Refusals are not reused unless
 *   `negativeCacheTtlMs` (≤ 5 s) says so. Cache entries are keyed by a SHA-256 hash, never the credential.
 * - Concurrent questions that are the same share one request.
 * - When the server gives no answer (down, slow, or it refuses the platform's key) `verify` throws
 *   {@link ServitorError}; nothing is cached then.
 */
export class Verifier {
  private readonly verifyUrl: string;
  private readonly baseUrl: string;
  // A true private field: neither JSON.stringify nor util.inspect shows the platform's key.
  readonly #authorization: string;
  private readonly cacheTtlMs: number;
  private readonly negativeCacheTtlMs: number;
  private readonly timeoutMs: number;
  private readonly keyPrefix: string | undefined;
  private readonly offlineTokens: boolean;
  private readonly fetchImpl: FetchLike;
  private readonly cache: AnswerCache<Verification>;
  private readonly inFlight = new Map<string, Promise<Verification>>();
  private readonly tokenOptions: Pick<VerifierOptions, "audience" | "issuer" | "jwksUrl">;
  private tokenVerifier: Promise<AccessTokenVerifier> | undefined;

  constructor(options: VerifierOptions) {
    if (!options || typeof options.url !== "string" || !/^https?:\/\//.test(options.url)) {
      throw new TypeError("url must be an http(s) URL of the Servitor server");
    }
    if (typeof options.key !== "string" || options.key === "") throw new TypeError("key (the platform's key with 'verify') is required");
    this.baseUrl = options.url.replace(/\/+$/, "");
    this.verifyUrl = `${this.baseUrl}/v1/verify`;
    this.#authorization = `Bearer ${options.key}`;
    this.cacheTtlMs = nonNegative("cacheTtlMs", options.cacheTtlMs ?? 10_000);
    this.negativeCacheTtlMs = nonNegative("negativeCacheTtlMs", options.negativeCacheTtlMs ?? 0);
    if (this.negativeCacheTtlMs > MAX_NEGATIVE_CACHE_TTL_MS) {
      throw new RangeError(`negativeCacheTtlMs is at most ${MAX_NEGATIVE_CACHE_TTL_MS} (a refusal must not outlive a fix by long), got ${this.negativeCacheTtlMs}`);
    }
    this.timeoutMs = positive("timeoutMs", options.timeoutMs ?? 5000);
    this.cache = new AnswerCache(positive("maxCacheEntries", options.maxCacheEntries ?? 10_000));
    this.keyPrefix = options.keyPrefix;
    this.offlineTokens = options.offlineTokens ?? false;
    this.fetchImpl = options.fetch ?? fetch;
    this.tokenOptions = { audience: options.audience, issuer: options.issuer, jwksUrl: options.jwksUrl };
  }

  /** True if `s` is a well-formed key (and has this verifier's `keyPrefix`, when one is set); no I/O. */
  isWellFormedKey(s: unknown): boolean {
    return isWellFormedKey(s, this.keyPrefix);
  }

  /**
   * What Servitor says about `credential` (an API key or an access token), with the fields of `/v1/verify`.
   * @throws ServitorError when no answer could be had; never for a bad credential, which is `valid: false`.
   */
  async verify(credential: string, options: VerifyOptions = {}): Promise<Verification> {
    const { permission, ip } = options;
    if (typeof credential !== "string" || credential === "") return NOT_FOUND;
    const jwt = looksLikeJwt(credential);
    if (!jwt && !this.isWellFormedKey(credential)) return NOT_FOUND;
    const offline = jwt && this.offlineTokens && permission === undefined;

    // Offline answers do not depend on the address (it is not checked offline), so it is not part of their key.
    const cacheKey = AnswerCache.keyOf(credential, permission, offline ? undefined : ip);
    const cached = this.cache.get(cacheKey, Date.now());
    if (cached) return cached;
    const pending = this.inFlight.get(cacheKey);
    // A valid answer whose uses the server counts is not shared: each caller's use is a request of its own.
    if (pending) return pending.then((v) => v.valid && metered(v) ? this.ask(credential, permission, ip).then((w) => this.remember(cacheKey, w)) : v);
    const ask = (offline ? this.verifyOffline(credential) : this.ask(credential, permission, ip))
      .then((v) => this.remember(cacheKey, v))
      .finally(() => this.inFlight.delete(cacheKey));
    this.inFlight.set(cacheKey, ask);
    return ask;
  }

  /**
   * Checks an access token offline against the server's JWKS (ES256, `iss`, `aud`, `exp`/`nbf`).
   * @param options.audience overrides the verifier's audience for this call
   * @throws InvalidTokenError for a token that fails any check; ServitorError when the JWKS cannot be had
   */
  async verifyAccessToken(token: string, options: { audience?: string | string[] } = {}): Promise<VerifiedToken> {
    return (await this.accessTokenVerifier()).verify(token, options);
  }

  /** Forgets every cached answer (e.g. after revoking a key from this same process). */
  clearCache(): void {
    this.cache.clear();
  }

  /** How many answers are cached now. */
  get cacheSize(): number {
    return this.cache.size;
  }

  /** The SHA-256 keys of the cached answers (never a credential); for tests and debugging. */
  cacheKeys(): string[] {
    return this.cache.keys();
  }

  toString(): string {
    return `Verifier[${this.baseUrl}]`; // never the key
  }

  private remember(cacheKey: string, v: Verification): Verification {
    const now = Date.now();
    // An answer whose uses the server counts (a rate limit, remaining uses) is never reused: uses beyond the limit would go uncounted.
    if (v.valid && metered(v)) return v;
    let ttl = v.valid ? Math.min(this.cacheTtlMs, untilExpiry(v.credential, now)) : this.negativeCacheTtlMs;
    // A rate-limited key is not refused here after the server would take it again (without a time: not remembered).
    if (v.code === "RATE_LIMITED") ttl = Math.min(ttl, (v.retry_after_seconds ?? 0) * 1000);
    if (ttl > 0) this.cache.set(cacheKey, v, now + ttl);
    return v;
  }

  private async ask(credential: string, permission: string | undefined, ip: string | undefined): Promise<Verification> {
    const body: Record<string, string> = { credential };
    if (permission !== undefined) body["permission"] = permission;
    if (ip !== undefined) body["ip"] = ip;
    const answer = await requestJson(this.fetchImpl, this.verifyUrl, {
      method: "POST",
      headers: { authorization: this.#authorization, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    }, this.timeoutMs);
    return toVerification(answer, this.verifyUrl);
  }

  private async verifyOffline(token: string): Promise<Verification> {
    try {
      const t = await this.verifyAccessToken(token);
      return deepFreeze({
        valid: true,
        code: "VALID",
        principal: principalOf(t.subject, t.email, t.org),
        ...(t.actor ? { actor: principalOf(t.actor, actorEmail(t), t.org) } : {}),
        credential: {
          id: t.tokenId, kind: "access_token", type: null, expires_at: t.expiresAt.toISOString().replace(/\.000Z$/, "Z"),
          ...federationOf(t.claims["fed"]),
        },
        offline: true,
      });
    } catch (e) {
      if (e instanceof InvalidTokenError) {
        return Object.freeze({ valid: false, code: e.reason === "expired" ? "EXPIRED" : "NOT_FOUND", offline: true });
      }
      throw e;
    }
  }

  private accessTokenVerifier(): Promise<AccessTokenVerifier> {
    this.tokenVerifier ??= this.discover().catch((e: unknown) => {
      this.tokenVerifier = undefined; // try discovery again on the next token
      throw e;
    });
    return this.tokenVerifier;
  }

  /** The issuer and the JWKS location: the options' where set, else the discovery document's `issuer` and `jwks_uri`. */
  private async discover(): Promise<AccessTokenVerifier> {
    let { issuer, jwksUrl } = this.tokenOptions;
    if (issuer === undefined || jwksUrl === undefined) {
      const meta = await requestJson(this.fetchImpl, `${this.baseUrl}/.well-known/oauth-authorization-server`,
        { headers: { accept: "application/json" } }, this.timeoutMs) as { issuer?: unknown; jwks_uri?: unknown };
      if (typeof meta.issuer !== "string" || meta.issuer === "" || typeof meta.jwks_uri !== "string" || !/^https?:\/\//.test(meta.jwks_uri)) {
        throw new ServitorUnavailableError("the authorization server metadata names no issuer or no http(s) jwks_uri", 200, "invalid_answer");
      }
      issuer ??= meta.issuer;
      jwksUrl ??= meta.jwks_uri;
    }
    return new AccessTokenVerifier({
      issuer,
      jwksUrl,
      ...(this.tokenOptions.audience !== undefined ? { audience: this.tokenOptions.audience } : {}),
      timeoutMs: this.timeoutMs,
      fetch: this.fetchImpl,
    });
  }
}

function nonNegative(name: string, v: number): number {
  if (!Number.isFinite(v) || v < 0) throw new RangeError(`${name} must be a number ≥ 0, got ${v}`);
  return v;
}

function positive(name: string, v: number): number {
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`${name} must be a number > 0, got ${v}`);
  return v;
}

/**
 * Whether the server may count each use of the credential: `remaining`, or any restriction but the two known to
 * count nothing (`permissions`, `allowed_ips`): a rate limit, remaining uses, or one this SDK does not know yet.
 */
function metered(v: Verification): boolean {
  if (v.remaining !== undefined) return true;
  const r = v.restrictions;
  return r !== undefined && Object.entries(r).some(([name, value]) => name !== "permissions" && name !== "allowed_ips" && value !== null);
}

function untilExpiry(credential: CredentialInfo | undefined, now: number): number {
  const at = credential?.expires_at ? Date.parse(credential.expires_at) : NaN;
  return Number.isNaN(at) ? Infinity : at - now;
}

function toVerification(answer: unknown, url: string): Verification {
  const o = answer as Record<string, unknown>;
  if (!o || typeof o !== "object" || typeof o["valid"] !== "boolean" || typeof o["code"] !== "string") {
    throw new ServitorUnavailableError(`${url} answered without valid and code`, 200, "invalid_answer");
  }
  const v: Verification = { valid: o["valid"], code: o["code"] };
  if (o["principal"] && typeof o["principal"] === "object") v.principal = o["principal"] as Principal;
  if (o["actor"] && typeof o["actor"] === "object") v.actor = o["actor"] as Principal;
  if (Array.isArray(o["permissions"])) v.permissions = o["permissions"] as string[];
  if (o["credential"] && typeof o["credential"] === "object") v.credential = o["credential"] as CredentialInfo;
  if (typeof o["retry_after_seconds"] === "number") v.retry_after_seconds = o["retry_after_seconds"];
  // (an array, a shape this SDK does not know, is kept as it is: metered() counts its entries as unknown restrictions)
  if (o["restrictions"] && typeof o["restrictions"] === "object") v.restrictions = o["restrictions"] as Record<string, unknown>;
  if (o["remaining"] !== undefined && o["remaining"] !== null) v.remaining = o["remaining"];
  // A valid answer must name who it is about; anything less is not an answer to trust.
  if (v.valid && (v.code !== "VALID" || !v.principal)) {
    throw new ServitorUnavailableError(`${url} answered valid without a principal`, 200, "invalid_answer");
  }
  return deepFreeze(v);
}

/** Offline, a token names its subject by id and e-mail; a service account's name is its address's local part (`<name>@<org>.sa.<domain>`). */
function principalOf(id: string, email: string | null, org: string | null): Principal {
  const type = id.startsWith("sa_") ? "service_account" : id.startsWith("usr_") ? "user" : "";
  const local = email?.match(/^([^@]+)@[^@]+\.sa\.[^@]+$/);
  return { id, type, name: type === "service_account" && local ? local[1]! : null, email, org };
}

/** The `fed` claim of a token exchanged for a federated workload's token, as `credential.federation`. */
function federationOf(fed: unknown): { federation?: Federation } {
  if (!fed || typeof fed !== "object") return {};
  const f = fed as Record<string, unknown>;
  const text = (name: string) => (typeof f[name] === "string" ? f[name] as string : "");
  return { federation: { issuer: text("issuer"), subject: text("subject"), credential: text("credential") } };
}

function actorEmail(t: VerifiedToken): string | null {
  const act = t.claims["act"] as { email?: unknown } | undefined;
  return typeof act?.email === "string" ? act.email : null;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === "object" && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
