// SPDX-License-Identifier: Apache-2.0
// cases.json "middleware": servitorAuth in front of a plain node:http handler, driven over real HTTP.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Verifier, credentialFrom, servitorAuth } from "../dist/index.js";
import { cases, fx, localServer, resolve, standIn } from "./fixtures.mjs";

/** A server whose upstream handler records what it saw; the middleware asks for `permission`. */
async function guarded(verifier, permission, clientIp) {
  const seen = [];
  const auth = servitorAuth(verifier, { ...(permission ? { permission } : {}), ...(clientIp ? { clientIp: () => clientIp } : {}) });
  const server = await localServer((req, res) => auth(req, res, () => {
    seen.push(req.servitor);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ name: req.servitor.principal.name }));
  }));
  return { ...server, seen };
}

async function get(url, headers) {
  const res = await fetch(url, { headers });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

describe("cases.json middleware", () => {
  const verifier = new Verifier({ url: fx.url, key: fx.gateway_key });
  const servers = new Map();
  const serverFor = async (c) => {
    if (c.stand_in) {
      const stand = await standIn(c.stand_in);
      const s = await guarded(new Verifier({ url: stand.url, key: fx.gateway_key, timeoutMs: 2000 }), c.permission, c.client_ip);
      servers.set(Symbol(), stand);
      servers.set(Symbol(), s);
      return s;
    }
    const key = `${c.permission}|${c.client_ip}`;
    if (!servers.has(key)) servers.set(key, await guarded(verifier, c.permission, c.client_ip));
    return servers.get(key);
  };
  after(async () => { for (const s of servers.values()) await s.close(); });

  for (const c of cases.middleware) {
    const shown = Object.entries(c.request.headers).map(([k, v]) => `${k}: ${v}`).join(", ") || "no credential";
    test(`${shown}${c.permission ? ` needing ${c.permission}` : ""}${c.why ? ` (${c.why})` : ""} -> ${c.expect.status}`, async () => {
      const s = await serverFor(c);
      const before = s.seen.length;
      const headers = Object.fromEntries(Object.entries(c.request.headers).map(([k, v]) => [k, resolve(v)]));
      const r = await get(s.url, headers);
      assert.equal(r.status, c.expect.status, r.text);
      assert.equal(s.seen.length > before, c.expect.upstream_called);
      if (r.status === 200) {
        if (c.expect.upstream_sees) assert.equal(JSON.parse(r.text).name, fx.account);
        assert.equal(s.seen.at(-1).valid, true);
      } else {
        const problem = JSON.parse(r.text);
        assert.equal(problem.status, r.status);
        assert.match(r.headers.get("content-type"), /^application\/problem\+json/);
        if (r.status === 401) {
          assert.equal(r.headers.get("www-authenticate"), 'Bearer realm="servitor"');
          assert.equal(problem.code, "unauthenticated");
        } else if (r.status === 403) {
          assert.ok(["forbidden", "ip_not_allowed", "network_policy_required"].includes(problem.code), problem.code);
        }
        if (c.expect.code !== undefined) assert.equal(problem.code, c.expect.code);
        if (c.expect.retry_after !== undefined) assert.equal(r.headers.get("retry-after"), c.expect.retry_after);
      }
    });
  }
});

describe("servitorAuth", () => {
  let verifier;
  let s;
  before(async () => {
    verifier = new Verifier({ url: fx.url, key: fx.gateway_key });
    s = await guarded(verifier);
  });
  after(() => s.close());

  test("every kind of refusal gets the same 401 body, so the presenter learns nothing", async () => {
    const bodies = new Set();
    for (const h of [{}, { authorization: `Bearer ${resolve("malformed_key")}` }, { authorization: `Bearer ${fx.revoked_key}` },
      { authorization: `Bearer ${resolve("unknown_key")}` }, { authorization: `Bearer ${resolve("tampered_token")}` },
      { authorization: `Basic ${Buffer.from(`x:${fx.live_key}`).toString("base64")}` }]) {
      const r = await get(s.url, h);
      assert.equal(r.status, 401, JSON.stringify(h));
      bodies.add(r.text);
    }
    assert.equal(bodies.size, 1);
  });

  test("the scheme is case-insensitive and Key is accepted too", async () => {
    for (const scheme of ["bearer", "KEY", "Key", "token"]) {
      assert.equal((await get(s.url, { authorization: `${scheme} ${fx.live_key}` })).status, 200, scheme);
    }
  });

  test("the upstream sees the whole verification", async () => {
    await get(s.url, { "x-api-key": fx.live_key });
    const v = s.seen.at(-1);
    assert.equal(v.code, "VALID");
    assert.equal(v.credential.kind, "api_key");
    assert.ok(v.permissions.includes("deployments:write"));
  });

  test("a server that gives no answer is 503 and the upstream is not called", async () => {
    const gone = await localServer(() => {});
    await gone.close();
    const down = await guarded(new Verifier({ url: gone.url, key: fx.gateway_key }));
    try {
      const r = await get(down.url, { authorization: `Bearer ${fx.live_key}` });
      assert.equal(r.status, 503);
      assert.equal(JSON.parse(r.text).code, "unavailable");
      assert.equal(r.headers.get("retry-after"), "1");
      assert.equal(down.seen.length, 0);
    } finally {
      await down.close();
    }
  });

  test("an address refused by the account's network policy is 403 ip_not_allowed", async () => {
    const name = `sdk-ts-only-ten-${Date.now()}`;
    await fetch(`${fx.url}/v1/network-policies`, {
      method: "POST",
      headers: { authorization: `Bearer ${fx.admin_key}`, "content-type": "application/json" },
      body: JSON.stringify({ name, allowed_ips: ["10.0.0.0/8"] }),
    }).then((r) => assert.equal(r.status, 201));
    const account = await fetch(`${fx.url}/v1/service-accounts`, {
      method: "POST",
      headers: { authorization: `Bearer ${fx.admin_key}`, "content-type": "application/json" },
      body: JSON.stringify({ name, network_policy: name, issue_key: true }),
    }).then((r) => r.json());
    const fenced = await guarded(verifier);
    try {
      const r = await get(fenced.url, { authorization: `Bearer ${account.key.key}` });
      assert.equal(r.status, 403, r.text);
      assert.equal(JSON.parse(r.text).code, "ip_not_allowed");
      assert.equal(fenced.seen.length, 0);
    } finally {
      await fenced.close();
    }
  });

  // A small stand-in answers /v1/verify with what the real server does not give on demand (RATE_LIMITED without
  // retry_after_seconds among them); limits-live.test.mjs checks the restrictions Servitor itself enforces.
  for (const [answer, retryAfter] of [
    [{ valid: false, code: "RATE_LIMITED", retry_after_seconds: 7 }, "7"],
    [{ valid: false, code: "RATE_LIMITED" }, "1"], // no time given: 1
    [{ valid: false, code: "USAGE_EXCEEDED" }, null], // no time given: no header
  ]) {
    test(`${answer.code} (a key's own limit) is 429 with Retry-After ${retryAfter}`, async () => {
      const standIn = await localServer((req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer)));
      const limited = await guarded(new Verifier({ url: standIn.url, key: fx.gateway_key }));
      try {
        const r = await get(limited.url, { authorization: `Bearer ${fx.live_key}` });
        assert.equal(r.status, 429);
        assert.equal(JSON.parse(r.text).code, answer.code.toLowerCase());
        assert.equal(r.headers.get("retry-after"), retryAfter);
        assert.equal(limited.seen.length, 0);
      } finally {
        await limited.close();
        await standIn.close();
      }
    });
  }

  test("credentialFrom reads the three schemes and X-Api-Key, nothing else", () => {
    assert.equal(credentialFrom({ authorization: "Bearer abc" }), "abc");
    assert.equal(credentialFrom({ authorization: "Token  abc " }), "abc");
    assert.equal(credentialFrom({ authorization: "Key abc" }), "abc");
    assert.equal(credentialFrom({ "x-api-key": "abc" }), "abc");
    assert.equal(credentialFrom({ authorization: "Basic abc" }), undefined);
    assert.equal(credentialFrom({ authorization: "Bearer a b" }), undefined);
    assert.equal(credentialFrom({ authorization: "Bearer" }), undefined);
    assert.equal(credentialFrom({}), undefined);
  });
});
