// SPDX-License-Identifier: Apache-2.0
// cases.json "verify" against the real server, and the cache, timeout and refusal rules of Verifier.verify.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { MAX_NEGATIVE_CACHE_TTL_MS, ServitorApiError, ServitorError, ServitorUnavailableError, Verifier } from "../dist/index.js";
import { admin, cases, countingFetch, credentials, fx, localServer, resolve, sleep, standIn } from "./fixtures.mjs";

const verifier = (options = {}, f = countingFetch()) => ({ v: new Verifier({ url: fx.url, key: fx.gateway_key, fetch: f, ...options }), f });

describe("cases.json verify", () => {
  for (const c of cases.verify.filter((c) => c.stand_in || c.platform_key)) {
    test(c.why, async () => {
      const s = c.stand_in ? await standIn(c.stand_in) : undefined;
      try {
        assert.ok(s || c.negative_cache_seconds === undefined, "negative_cache_seconds is understood with a stand_in only");
        const v = new Verifier({
          url: s?.url ?? fx.url, key: c.platform_key ? resolve(c.platform_key) : fx.gateway_key, timeoutMs: 2000,
          negativeCacheTtlMs: (c.negative_cache_seconds ?? 0) * 1000,
        });
        const ask = () => v.verify(resolve(c.credential), c.permission ? { permission: c.permission } : {});
        if (c.expect.error === "unavailable") {
          await assert.rejects(ask(), ServitorUnavailableError);
        } else if (c.expect.error === "api") {
          await assert.rejects(ask(), (e) => e instanceof ServitorApiError && !(e instanceof ServitorUnavailableError) && e.status === c.expect.status);
        } else {
          assert.equal(c.expect.error, undefined, "an expect.error this suite does not know");
          for (let i = 0; i < (c.times ?? 1); i++) {
            if (i > 0) await sleep(c.interval_ms ?? 0);
            const answer = await ask();
            assert.equal(answer.valid, c.expect.valid);
            assert.equal(answer.code, c.expect.code);
            if (c.expect.retry_after_seconds !== undefined) assert.equal(answer.retry_after_seconds, c.expect.retry_after_seconds);
            if (c.expect.federation !== undefined) assert.deepEqual(answer.credential?.federation, c.expect.federation);
          }
          if (c.expect.requests !== undefined) assert.equal(s.verifies(), c.expect.requests);
        }
      } finally {
        await s?.close();
      }
    });
  }

  for (const c of cases.verify.filter((c) => !c.then && !c.stand_in && !c.platform_key)) {
    test(`${c.credential}${c.permission ? ` needing ${c.permission}` : ""} -> ${c.expect.code}`, async () => {
      const { v, f } = verifier();
      const answer = await v.verify(resolve(c.credential), c.permission ? { permission: c.permission } : {});
      assert.equal(answer.valid, c.expect.valid);
      assert.equal(answer.code, c.expect.code);
      if (c.expect.network === false) assert.equal(f.count(), 0, "no request for a malformed key");
      else assert.equal(f.count("/v1/verify"), 1);
      if (c.expect.valid) {
        assert.equal(answer.principal.name, fx.account);
        assert.equal(answer.principal.type, "service_account");
        assert.ok(answer.permissions.includes("deployments:write"));
        assert.equal(answer.credential.kind, c.credential === "access_token" ? "access_token" : "api_key");
      }
    });
  }

  test("live key, then revoked, then past the positive cache TTL -> REVOKED", async () => {
    const ttl = 3000;
    const { v, f } = verifier({ cacheTtlMs: ttl });
    assert.equal((await v.verify(fx.doomed_key)).code, "VALID");
    const answeredAt = Date.now();
    await admin("DELETE", `/v1/service-accounts/${fx.account}/keys/${fx.doomed_key_id}`);
    const cached = await v.verify(fx.doomed_key);
    // On a very busy machine the revocation may take longer than the TTL; then there is nothing cached to see.
    if (Date.now() - answeredAt < ttl - 100) {
      assert.equal(cached.code, "VALID", "within the TTL the cached answer stands");
      assert.equal(f.count("/v1/verify"), 1);
    }
    await sleep(Math.max(0, answeredAt + ttl + 100 - Date.now()));
    const asked = f.count("/v1/verify");
    const after = await v.verify(fx.doomed_key);
    assert.equal(after.valid, false);
    assert.equal(after.code, "REVOKED");
    assert.equal(f.count("/v1/verify"), asked + 1);
    assert.equal((await v.verify(fx.doomed_key)).code, "REVOKED");
    assert.equal(f.count("/v1/verify"), asked + 2, "a refusal is not cached");
  });
});

describe("the positive cache", () => {
  test("a second question within the TTL is answered without a request", async () => {
    const { v, f } = verifier();
    const first = await v.verify(fx.live_key);
    const second = await v.verify(fx.live_key);
    assert.deepEqual(second, first);
    assert.equal(f.count("/v1/verify"), 1);
  });

  test("the permission and the address are part of the question", async () => {
    const { v, f } = verifier();
    assert.equal((await v.verify(fx.live_key)).code, "VALID");
    assert.equal((await v.verify(fx.live_key, { permission: "billing:read" })).code, "FORBIDDEN");
    assert.equal((await v.verify(fx.live_key, { permission: "deployments:write" })).code, "VALID");
    assert.equal((await v.verify(fx.live_key, { ip: "192.0.2.7" })).code, "VALID");
    assert.equal(f.count("/v1/verify"), 4);
  });

  test("cacheTtlMs 0 asks every time", async () => {
    const { v, f } = verifier({ cacheTtlMs: 0 });
    await v.verify(fx.live_key);
    await v.verify(fx.live_key);
    assert.equal(f.count("/v1/verify"), 2);
  });

  test("an answer is not kept past the credential's own expiry", async () => {
    const short = await admin("POST", `/v1/service-accounts/${fx.account}/keys`, { name: `short-${Date.now()}`, ttl_seconds: 4 });
    const { v, f } = verifier({ cacheTtlMs: 60_000 });
    assert.equal((await v.verify(short.key)).code, "VALID");
    await sleep(Math.max(0, Date.parse(short.expires_at) - Date.now()) + 300);
    const after = await v.verify(short.key);
    assert.equal(after.code, "EXPIRED");
    assert.equal(f.count("/v1/verify"), 2);
  });

  test("the cache keeps a SHA-256 of the question, never the credential", async () => {
    const { v } = verifier();
    await v.verify(fx.live_key);
    await v.verify(fx.access_token);
    const keys = v.cacheKeys();
    assert.equal(keys.length, 2);
    const payload = fx.live_key.slice(4);
    for (const k of keys) {
      assert.match(k, /^[A-Za-z0-9+/]{43}=$/, "a base64 SHA-256 digest");
      assert.ok(!k.includes(payload.slice(0, 12)) && !k.includes(fx.access_token.slice(0, 20)));
    }
  });

  test("questions asked at once share one request", async () => {
    const { v, f } = verifier();
    const answers = await Promise.all(Array.from({ length: 20 }, () => v.verify(fx.live_key)));
    assert.ok(answers.every((a) => a.code === "VALID"));
    assert.equal(f.count("/v1/verify"), 1);
  });

  test("a cached answer cannot be changed by the caller that received it", async () => {
    const { v } = verifier();
    const a = await v.verify(fx.live_key);
    assert.throws(() => { a.valid = false; }, TypeError);
    assert.throws(() => { a.principal.name = "someone-else"; }, TypeError);
    assert.equal((await v.verify(fx.live_key)).principal.name, fx.account);
  });
});

describe("the negative cache", () => {
  test("by default a refusal is asked again every time", async () => {
    const { v, f } = verifier();
    assert.equal((await v.verify(fx.revoked_key)).code, "REVOKED");
    assert.equal((await v.verify(fx.revoked_key)).code, "REVOKED");
    assert.equal(f.count("/v1/verify"), 2);
  });

  test("negativeCacheTtlMs reuses a refusal for that long", async () => {
    const { v, f } = verifier({ negativeCacheTtlMs: 400 });
    await v.verify(fx.revoked_key);
    await v.verify(fx.revoked_key);
    assert.equal(f.count("/v1/verify"), 1);
    await sleep(450);
    await v.verify(fx.revoked_key);
    assert.equal(f.count("/v1/verify"), 2);
  });

  test("more than 5 s is refused when the verifier is made", () => {
    assert.equal(MAX_NEGATIVE_CACHE_TTL_MS, 5000);
    assert.doesNotThrow(() => new Verifier({ url: fx.url, key: fx.gateway_key, negativeCacheTtlMs: 5000 }));
    assert.throws(() => new Verifier({ url: fx.url, key: fx.gateway_key, negativeCacheTtlMs: 5001 }), /negativeCacheTtlMs is at most 5000/);
    assert.throws(() => new Verifier({ url: fx.url, key: fx.gateway_key, cacheTtlMs: -1 }), RangeError);
  });
});

describe("no request for what cannot be a credential", () => {
  for (const [what, s] of [["empty", ""], ["a typo", credentials.malformed_key], ["a key with another prefix than expected", fx.live_key.replace(/^svt_/, "xyz_")], ["a scheme in front", `Bearer ${fx.live_key}`],
    ["a JWT-shaped string over 8 KiB", `${"a".repeat(4000)}.${"b".repeat(4000)}.${"c".repeat(200)}`]]) {
    test(`${what} -> NOT_FOUND`, async () => {
      const { v, f } = verifier({ keyPrefix: "svt" });
      const a = await v.verify(s);
      assert.deepEqual({ ...a }, { valid: false, code: "NOT_FOUND" });
      assert.equal(f.count(), 0);
    });
  }

  test("a key with the expected prefix is asked", async () => {
    const { v, f } = verifier({ keyPrefix: "svt" });
    assert.equal((await v.verify(fx.live_key)).code, "VALID");
    assert.equal(f.count("/v1/verify"), 1);
  });

  test("a token the server did not sign goes to the server, which refuses it", async () => {
    const { v, f } = verifier();
    for (const t of ["tampered_token", "alg_none_token", "foreign_token"]) {
      const a = await v.verify(credentials[t]);
      assert.equal(a.valid, false, t);
    }
    assert.equal(f.count("/v1/verify"), 3);
  });
});

describe("when the server gives no verdict", () => {
  test("a platform key without 'verify' is the server's 403, thrown, not a verdict on the credential", async () => {
    const v = new Verifier({ url: fx.url, key: fx.live_key });
    await assert.rejects(v.verify(fx.live_key), (e) => e instanceof ServitorError && e.status === 403 && e.code === "forbidden");
    assert.equal(v.cacheSize, 0);
  });

  test("a wrong platform key is the server's 401, thrown", async () => {
    const v = new Verifier({ url: fx.url, key: credentials.unknown_key });
    await assert.rejects(v.verify(fx.live_key), (e) => e instanceof ServitorError && e.status === 401);
  });

  test("a server that does not answer within timeoutMs is a timeout", async () => {
    const silent = await localServer(() => { /* never answers */ });
    try {
      const v = new Verifier({ url: silent.url, key: fx.gateway_key, timeoutMs: 300 });
      const started = Date.now();
      await assert.rejects(v.verify(fx.live_key), (e) => e instanceof ServitorError && e.code === "timeout" && e.status === 0);
      assert.ok(Date.now() - started < 4000, "the deadline, not a default of seconds");
    } finally {
      await silent.close();
    }
  });

  test("an unreachable server is unreachable", async () => {
    const gone = await localServer(() => {});
    await gone.close();
    const v = new Verifier({ url: gone.url, key: fx.gateway_key });
    await assert.rejects(v.verify(fx.live_key), (e) => e instanceof ServitorError && e.code === "unreachable");
  });

  test("a redirect is not followed (the credential goes to no other address)", async () => {
    let reached = false;
    const elsewhere = await localServer((req, res) => { reached = true; res.end("{}"); });
    const redirecting = await localServer((req, res) => { res.writeHead(307, { location: `${elsewhere.url}/v1/verify` }); res.end(); });
    try {
      const v = new Verifier({ url: redirecting.url, key: fx.gateway_key });
      await assert.rejects(v.verify(fx.live_key), ServitorError);
      assert.equal(reached, false);
    } finally {
      await redirecting.close();
      await elsewhere.close();
    }
  });

  test("the verifier never shows its key", () => {
    const v = new Verifier({ url: fx.url, key: fx.gateway_key });
    assert.ok(!String(v).includes(fx.gateway_key));
    assert.ok(!JSON.stringify(v).includes(fx.gateway_key.slice(4)));
    assert.ok(!inspect(v, { depth: 5, showHidden: true }).includes(fx.gateway_key.slice(4)));
  });
});

describe("answers whose uses the server counts", () => {
  const principal = { id: "sa_1", type: "service_account", name: "ci-bot", email: "ci-bot@o.sa.x", org: "o" };
  const credential = { id: "key_1", kind: "api_key", type: "read_write", expires_at: null };
  // A stand-in that answers after a pause, so that concurrent callers overlap.
  const slowStandIn = (answer) => {
    let asked = 0;
    return localServer((req, res) => {
      asked++;
      req.resume();
      setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer)), 300);
    }).then((s) => ({ ...s, asked: () => asked }));
  };

  for (const [name, extra, requests] of [
    ["not metered (control)", {}, 1],
    ["a rate limit", { restrictions: { rate_limit: { limit: 10, period_seconds: 60 } }, remaining: { rate_limit: 9 } }, 5],
  ]) {
    test(`5 concurrent callers, ${name}: ${requests} request(s)`, async () => {
      const s = await slowStandIn({ valid: true, code: "VALID", principal, permissions: [], credential, ...extra });
      try {
        const v = new Verifier({ url: s.url, key: fx.gateway_key });
        const answers = await Promise.all(Array.from({ length: 5 }, () => v.verify(fx.live_key)));
        assert.ok(answers.every((a) => a.valid));
        assert.equal(s.asked(), requests, "a shared request would count one use for five");
      } finally {
        await s.close();
      }
    });
  }
});
