// SPDX-License-Identifier: Apache-2.0
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { ServitorError } from "./errors.js";
import type { Verification } from "./verification.js";
import type { Verifier } from "./verifier.js";

export interface ServitorAuthOptions {
  /** A permission every request must carry (403 otherwise). */
  permission?: string;
  /**
   * The presenter's address sent to the server for the account's network policy; default the socket's
   * peer. Behind a proxy, return the address the proxy reports (only from a proxy you trust), or
   * `undefined` to send none (the server then checks the gateway's own address).
   */
  clientIp?: (req: IncomingMessage) => string | undefined;
  /** The realm of `WWW-Authenticate`; default `servitor`. */
  realm?: string;
}

/** A request that passed: `servitor` is the verification (principal, permissions, credential). */
export type VerifiedRequest = IncomingMessage & { servitor: Verification };

/**
 * The verification the middleware attached to `req` (Express, Connect or `node:http` request alike).
 * @throws Error when `servitorAuth` did not run before (a route mounted ahead of it)
 */
export function verificationOf(req: object): Verification {
  const v = (req as Partial<VerifiedRequest>).servitor;
  if (!v || v.valid !== true) throw new Error("no Servitor verification on this request: is servitorAuth mounted before this handler?");
  return v;
}

const SCHEME = /^(?:Bearer|Token|Key)[ \t]+(\S+)[ \t]*$/i;

/**
 * The credential a request presents: `Authorization: Bearer|Token|Key <credential>` (the schemes Servitor
 * itself takes), else `X-Api-Key`; undefined when there is none.
 */
export function credentialFrom(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === "string") {
    const m = SCHEME.exec(auth);
    if (m) return m[1];
  }
  const apiKey = headers["x-api-key"];
  if (typeof apiKey === "string" && apiKey !== "") return apiKey;
  return undefined;
}

/**
 * An Express/Connect-style handler `(req, res, next)`, which also wraps a plain `node:http` handler:
 * `http.createServer((req, res) => auth(req, res, () => handler(req, res)))`.
 *
 * - no credential, or one that is not valid (malformed, unknown, expired, revoked, disabled): 401 with
 *   `WWW-Authenticate` and one body whatever the reason, as Servitor answers (the presenter learns nothing);
 * - a valid credential without the permission, from an address its network policy refuses, or of an account
 *   without the network policy its organization requires: 403 (`forbidden`, `ip_not_allowed`, `network_policy_required`);
 * - a key past its rate limit or uses (`RATE_LIMITED`, `USAGE_EXCEEDED`): 429, `Retry-After` from
 *   `retry_after_seconds` (without one: 1 for a rate limit, none for spent uses);
 * - the server gives no answer or refuses the platform's key: 503 `unavailable`, `Retry-After: 1` (fail
 *   closed; any other failure 500, never the handler);
 * - otherwise `req.servitor` is the verification and `next()` is called.
 */
export function servitorAuth(verifier: Verifier, options: ServitorAuthOptions = {}) {
  const realm = options.realm ?? "servitor";
  const clientIp = options.clientIp ?? peerAddress;
  return function servitorAuthHandler(req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void): void {
    const credential = credentialFrom(req.headers);
    if (credential === undefined) {
      unauthenticated(res, realm);
      return;
    }
    const ask = { ip: clientIp(req), ...(options.permission !== undefined ? { permission: options.permission } : {}) };
    verifier.verify(credential, ask).then((v) => {
      if (v.valid) {
        (req as VerifiedRequest).servitor = v;
        next();
      } else if (v.code === "FORBIDDEN") {
        // The credential is good; only the permission is missing, which the presenter may be told.
        problem(res, 403, "forbidden", "Not allowed", `This needs the '${options.permission ?? ""}' permission`);
      } else if (v.code === "IP_NOT_ALLOWED") {
        problem(res, 403, "ip_not_allowed", "Client address not allowed", "Not allowed from this address");
      } else if (v.code === "NETWORK_POLICY_REQUIRED") {
        problem(res, 403, "network_policy_required", "Network policy required", "The organization requires a network policy for this account");
      } else if (v.code === "RATE_LIMITED" || v.code === "USAGE_EXCEEDED") {
        // The contract's per-key restrictions: the key is good but spent for now. Retry-After is the server's
        // retry_after_seconds; without one, 1 s for a rate limit (it lifts within moments) and none for spent
        // uses (they come back only with a refill or a new grant), as the other SDKs.
        if (v.retry_after_seconds !== undefined && v.retry_after_seconds >= 0) res.setHeader("Retry-After", String(Math.max(0, Math.ceil(v.retry_after_seconds))));
        else if (v.code === "RATE_LIMITED") res.setHeader("Retry-After", "1");
        problem(res, 429, v.code.toLowerCase(), "Too many requests", "The credential's limit is reached");
      } else {
        unauthenticated(res, realm); // unknown, expired, revoked, disabled: never say which
      }
    }, (e: unknown) => {
      // Never next(e): wrapping a plain node:http handler, next would run the handler unauthenticated.
      if (e instanceof ServitorError) {
        res.setHeader("Retry-After", "1");
        problem(res, 503, "unavailable", "Service unavailable", "The credential could not be verified now");
      } else {
        problem(res, 500, "internal", "Internal error", "Credentials cannot be checked");
      }
    });
  };
}

function peerAddress(req: IncomingMessage): string | undefined {
  const a = req.socket?.remoteAddress?.split("%")[0]; // an IPv6 zone names an interface, not an address
  // An IPv4 client of a dual-stack socket appears as ::ffff:a.b.c.d; policies name it a.b.c.d.
  return a?.toLowerCase().startsWith("::ffff:") && a.includes(".") ? a.slice(7) : a || undefined;
}

function unauthenticated(res: ServerResponse, realm: string): void {
  res.setHeader("WWW-Authenticate", `Bearer realm="${realm.replace(/["\\]/g, "")}"`);
  problem(res, 401, "unauthenticated", "Authentication required", "A valid credential is required");
}

function problem(res: ServerResponse, status: number, code: string, title: string, detail: string): void {
  const body = JSON.stringify({ type: `https://servitor.dev/problems/${code}`, title, status, detail, code });
  res.statusCode = status;
  res.setHeader("Content-Type", "application/problem+json");
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Content-Length", Buffer.byteLength(body));
  res.end(body);
}
