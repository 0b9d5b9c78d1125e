// SPDX-License-Identifier: Apache-2.0
// The fixtures of sdk-cases/cases.json: what test.sh created through the API ($SDK_FIXTURES), and the
// tokens and keys derived from them here. Also a fetch that counts the requests it makes.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { randomInt } from "node:crypto";
import { SignJWT, base64url, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair } from "jose";
import { keyChecksum } from "../dist/index.js";

export const cases = JSON.parse(readFileSync(new URL("../../sdk-cases/cases.json", import.meta.url), "utf8"));

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
