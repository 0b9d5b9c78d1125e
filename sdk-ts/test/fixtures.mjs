// SPDX-License-Identifier: Apache-2.0
// The fixtures of sdk-cases/cases.json: what test.sh created through the API ($SDK_FIXTURES), and the
// tokens and keys derived from them here. Also a fetch that counts the requests it makes.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { randomInt } from "node:crypto";
import { SignJWT, base64url, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair } from "jose";
import { keyChecksum } from "../dist/index.js";

export const cases = JSON.parse(readFileSync(new URL("../../sdk-cases/cases.json", import.meta.url), "utf8"));

// The members this suite understands, per section; any other fails here rather than being ignored.
const KNOWN = {
  "": ["about", "fixtures", "key_format", "verify", "offline_token", "middleware"],
  key_format: ["input", "prefix", "well_formed", "why"],
  verify: ["credential", "permission", "then", "platform_key", "stand_in", "times", "interval_ms", "negative_cache_seconds", "expect", "why"],
  "verify.expect": ["valid", "code", "network", "error", "status", "requests", "retry_after_seconds", "federation"],
  offline_token: ["token", "audience", "then", "stand_in", "via", "principal", "expect", "reason", "why"],
  middleware: ["request", "permission", "client_ip", "stand_in", "expect", "why"],
  "middleware.expect": ["status", "code", "retry_after", "upstream_called", "upstream_sees"],
  stand_in: ["status", "body", "unreachable", "discovery_jwks"],
};
function unknownMembers(o, known, where) {
  const extra = Object.keys(o).filter((k) => !KNOWN[known].includes(k));
  if (extra.length) throw new Error(`cases.json ${where}: members ${extra.join(", ")} are unknown to this suite`);
}
unknownMembers(cases, "", "top level");
for (const section of ["key_format", "verify", "offline_token", "middleware"]) {
  cases[section].forEach((c, i) => {
    unknownMembers(c, section, `${section}[${i}]`);
    if (c.stand_in) unknownMembers(c.stand_in, "stand_in", `${section}[${i}].stand_in`);
    if (KNOWN[`${section}.expect`]) unknownMembers(c.expect, `${section}.expect`, `${section}[${i}].expect`);
  });
}

if (!process.env.SDK_FIXTURES) throw new Error("SDK_FIXTURES is not set: run these tests through sdk-ts/test.sh (it starts a server)");
export const fx = JSON.parse(readFileSync(process.env.SDK_FIXTURES, "utf8"));

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function unknownKey() {
  let payload = "";
  for (let i = 0; i < 43; i++) payload += BASE62[randomInt(62)];
  return `svt_${payload}${keyChecksum(payload)}`;
}

function changeChar(s, at) {
  const c = s[at];
  return s.slice(0, at) + (c === "A" ? "B" : "A") + s.slice(at + 1);
}

const [head, body, sig] = fx.access_token.split(".");
export const claims = decodeJwt(fx.access_token);
export const kid = decodeProtectedHeader(fx.access_token).kid;

/** Signs `payload` with a fresh ES256 key under `keyId`; answers the token and the key's public JWK. */
export async function signWithOwnKey(payload, keyId) {
  const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
  const token = await new SignJWT(payload).setProtectedHeader({ alg: "ES256", typ: "JWT", kid: keyId }).sign(privateKey);
  return { token, jwk: { ...(await exportJWK(publicKey)), kid: keyId, alg: "ES256", use: "sig" } };
}

const foreign = await signWithOwnKey(claims, kid);
const expired = await signWithOwnKey({ ...claims, iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 }, "test-expired");

export const credentials = {
  live_key: fx.live_key,
  revoked_key: fx.revoked_key,
  unknown_key: unknownKey(),
  malformed_key: fx.live_key.slice(0, -1) + (fx.live_key.endsWith("A") ? "B" : "A"),
  access_token: fx.access_token,
  // A character in the middle of the signature: the last one may only carry padding bits.
  tampered_token: `${head}.${body}.${changeChar(sig, 20)}`,
  alg_none_token: `${base64url.encode(JSON.stringify({ alg: "none", typ: "JWT" }))}.${body}.`,
  foreign_token: foreign.token,
  expired_token: expired.token,
};
export const expiredTokenJwk = expired.jwk;
credentials.fenced_key = await fencedKey();

/** cases.json's fenced_key: a key of an account (of its own) whose network policy blocks 203.0.113.0/24. */
async function fencedKey() {
  const name = `ts-fenced-${randomInt(1e9)}`;
  await admin("POST", "/v1/network-policies", { name, blocked_ips: ["203.0.113.0/24"] });
  await admin("POST", "/v1/service-accounts", { name, network_policy: name });
  return (await admin("POST", `/v1/service-accounts/${name}/keys`, { name: "fenced" })).key;
}

/**
 * A case's `stand_in` (cases.json, fixtures.stand_in): answers `{ url, verifies(), close() }`, where
 * verifies() counts the POST /v1/verify it answered.
 */
export async function standIn(spec) {
  let verifies = 0;
  if (spec.unreachable) {
    const gone = await localServer(() => undefined);
    await gone.close(); // nothing listens there any more
    return { url: gone.url, verifies: () => 0, close: async () => undefined };
  }
  if (spec.discovery_jwks !== undefined) {
    if (spec.discovery_jwks !== "foreign_token") throw new Error(`discovery_jwks ${spec.discovery_jwks} is unknown to this suite`);
    const meta = await (await fetch(`${fx.url}/.well-known/oauth-authorization-server`)).json();
    const s = await localServer((req, res) => {
      if (req.url === "/.well-known/oauth-authorization-server") {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ...meta, jwks_uri: `${s.url}/test-jwks.json` }));
      } else if (req.url === "/test-jwks.json") {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [foreign.jwk] }));
      } else {
        res.writeHead(404).end();
      }
    });
    return { ...s, verifies: () => 0 };
  }
  if (spec.status !== undefined) {
    const s = await localServer((req, res) => {
      if (req.method !== "POST" || req.url !== "/v1/verify") return res.writeHead(404).end();
      verifies++;
      req.resume();
      res.writeHead(spec.status, { "content-type": "application/json" }).end(JSON.stringify(spec.body ?? null));
    });
    return { ...s, verifies: () => verifies };
  }
  throw new Error(`stand_in ${JSON.stringify(spec)} is unknown to this suite`);
}

/**
 * Offline mode's principal against cases.json's rule: a field names the claim it equals, "account" the
 * fixture account's name, "service_account"/"user" are literal, null or "" mean empty.
 */
export function expectedPrincipal(rules, tokenClaims, account) {
  const out = {};
  for (const [field, rule] of Object.entries(rules)) {
    out[field] = rule === null || rule === "" ? null
      : rule === "account" ? account
      : rule === "service_account" || rule === "user" ? rule
      : tokenClaims[rule];
  }
  return out;
}

/** The value of a case's credential name, or of each `<name>` in a header. */
export function resolve(s) {
  if (s in credentials) return credentials[s];
  return s.replace(/<([a-z_]+)>/g, (_, name) => {
    if (!(name in credentials)) throw new Error(`unknown fixture ${name}`);
    return credentials[name];
  });
}

/** The global fetch, counting each request by path. */
export function countingFetch() {
  const calls = [];
  const f = (url, init) => {
    calls.push(new URL(url).pathname);
    return fetch(url, init);
  };
  f.calls = calls;
  f.count = (path) => calls.filter((p) => path === undefined || p === path).length;
  return f;
}

/** An admin call to the server under test. */
export async function admin(method, path, json) {
  const res = await fetch(fx.url + path, {
    method,
    headers: { authorization: `Bearer ${fx.admin_key}`, "content-type": "application/json" },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

/** A local HTTP server for the duration of a test; `handler(req, res)`. Answers its base URL and a close(). */
export async function localServer(handler) {
  const server = createServer(handler);
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, server, close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }) };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
