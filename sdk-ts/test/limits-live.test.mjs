// SPDX-License-Identifier: Apache-2.0
// Per-key restrictions as the real server enforces them (docs/key-limits.md): each test mints a key of its
// own with restrictions, so the uses it spends are its own; the verdicts come from Servitor, not a stand-in.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Verifier, servitorAuth } from "../dist/index.js";
import { admin, countingFetch, fx, localServer } from "./fixtures.mjs";

const newKey = (name, restrictions) => admin("POST", `/v1/service-accounts/${fx.account}/keys`, { name, restrictions });

/** servitorAuth in front of a handler that answers the verification's `remaining`; `clientIp` fixed if given. */
async function guarded(verifier, clientIp) {
  const seen = [];
  const auth = servitorAuth(verifier, clientIp ? { clientIp: () => clientIp } : {});
  const server = await localServer((req, res) => auth(req, res, () => {
    seen.push(req.servitor);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ remaining: req.servitor.remaining ?? null }));
  }));
  return { ...server, seen };
}

async function get(url, headers) {
  const res = await fetch(url, { headers });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** The server's own /v1/forward-auth about `key`, as a gateway asks: the answer the middleware must agree with. */
const forwardAuth = (key) => get(`${fx.url}/v1/forward-auth`, { "servitor-gateway-key": fx.gateway_key, "x-api-key": key });

describe("per-key restrictions against the real server", () => {
  test("rate_limit 2 per 60 s: the third use is RATE_LIMITED, and the middleware answers 429 with Retry-After", async () => {
    const { key } = await newKey("ts-limited", { rate_limit: { limit: 2, period_seconds: 60 } });
    const counting = countingFetch();
    const verifier = new Verifier({ url: fx.url, key: fx.gateway_key, fetch: counting });
    for (const use of [1, 2]) {
      const v = await verifier.verify(key);
      assert.equal(v.code, "VALID", `use ${use}`);
      assert.deepEqual(v.restrictions, { rate_limit: { limit: 2, period_seconds: 60 } });
      assert.equal(v.retry_after_seconds, undefined);
    }
    const third = await verifier.verify(key);
    assert.equal(third.valid, false);
    assert.equal(third.code, "RATE_LIMITED");
    assert.ok(Number.isInteger(third.retry_after_seconds) && third.retry_after_seconds >= 1 && third.retry_after_seconds <= 66, String(third.retry_after_seconds));
    assert.equal(counting.count("/v1/verify"), 3, "a rate-limited key's answers are never cached");
    const s = await guarded(verifier);
    try {
      const r = await get(s.url, { authorization: `Bearer ${key}` });
      assert.equal(r.status, 429, r.text);
      assert.equal(JSON.parse(r.text).code, "rate_limited");
      const retry = Number(r.headers.get("retry-after"));
      assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 66, r.headers.get("retry-after"));
      assert.equal(s.seen.length, 0);
      const server = await forwardAuth(key);
      assert.deepEqual([server.status, JSON.parse(server.text).code, server.headers.has("retry-after")], [429, "rate_limited", true]);
    } finally {
      await s.close();
    }
  });

  test("remaining_uses 2: remaining counts down, the third use is USAGE_EXCEEDED, and the middleware answers 429 without Retry-After", async () => {
    const { key, remaining } = await newKey("ts-metered", { remaining_uses: 2 });
    assert.equal(remaining, 2);
    const verifier = new Verifier({ url: fx.url, key: fx.gateway_key });
    const s = await guarded(verifier);
    try {
      const first = await get(s.url, { "x-api-key": key }); // a use through the middleware counts
      assert.equal(first.status, 200, first.text);
      assert.equal(JSON.parse(first.text).remaining, 1);
      const second = await verifier.verify(key);
      assert.equal(second.code, "VALID");
      assert.equal(second.remaining, 0);
      const third = await verifier.verify(key);
      assert.equal(third.valid, false);
      assert.equal(third.code, "USAGE_EXCEEDED");
      assert.equal(third.remaining, 0);
      assert.equal(third.retry_after_seconds, undefined);
      const r = await get(s.url, { "x-api-key": key });
      assert.equal(r.status, 429, r.text);
      assert.equal(JSON.parse(r.text).code, "usage_exceeded");
      assert.equal(r.headers.get("retry-after"), null);
      assert.equal(s.seen.length, 1);
      const server = await forwardAuth(key);
      assert.deepEqual([server.status, JSON.parse(server.text).code, server.headers.get("retry-after")], [429, "usage_exceeded", null]);
    } finally {
      await s.close();
    }
  });

  test("allowed_ips that refuse the caller: IP_NOT_ALLOWED, and the middleware answers 403 ip_not_allowed", async () => {
    const { key } = await newKey("ts-fenced", { allowed_ips: ["192.0.2.0/24"] });
    const verifier = new Verifier({ url: fx.url, key: fx.gateway_key });
    assert.equal((await verifier.verify(key, { ip: "198.51.100.7" })).code, "IP_NOT_ALLOWED");
    assert.equal((await verifier.verify(key, { ip: "192.0.2.9" })).code, "VALID"); // the control: an allowed address
    const s = await guarded(verifier); // the caller is 127.0.0.1, outside the allowed block
    try {
      const r = await get(s.url, { authorization: `Bearer ${key}` });
      assert.equal(r.status, 403, r.text);
      assert.equal(JSON.parse(r.text).code, "ip_not_allowed");
      assert.equal(r.headers.get("www-authenticate"), null);
      assert.equal(s.seen.length, 0);
      const server = await forwardAuth(key); // the gateway's own address, 127.0.0.1
      assert.deepEqual([server.status, JSON.parse(server.text).code], [403, "ip_not_allowed"]);
    } finally {
      await s.close();
    }
  });
});
