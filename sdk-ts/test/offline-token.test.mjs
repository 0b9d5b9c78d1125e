// SPDX-License-Identifier: Apache-2.0
// cases.json "offline_token": access tokens checked against the server's JWKS without asking /v1/verify.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SignJWT, generateKeyPair } from "jose";
import { AccessTokenVerifier, InvalidTokenError, ServitorError, Verifier } from "../dist/index.js";
import { cases, claims, countingFetch, credentials, expectedPrincipal, expiredTokenJwk, fx, kid, localServer, signWithOwnKey, standIn } from "./fixtures.mjs";

const jwksUrl = `${fx.url}/.well-known/jwks.json`;
const issuer = claims.iss;

/** A JWKS endpoint that first serves `oldSet`, then the server's real set. */
async function rotatingJwks(oldSet) {
  let served = 0;
  const local = await localServer(async (req, res) => {
    served++;
    const body = served === 1 ? JSON.stringify(oldSet) : await (await fetch(jwksUrl)).text();
    res.writeHead(200, { "content-type": "application/json" }).end(body);
  });
  return { ...local, served: () => served };
}

describe("cases.json offline_token", () => {
  for (const c of cases.offline_token.filter((c) => c.stand_in || c.via)) {
    test(c.why, async () => {
      const s = c.stand_in ? await standIn(c.stand_in) : undefined;
      try {
        const v = new Verifier({ url: s?.url ?? fx.url, key: fx.gateway_key, offlineTokens: true, ...(c.audience ? { audience: c.audience } : {}) });
        assert.equal(c.expect, "valid");
        if (c.via === "verify") {
          const answer = await v.verify(credentials[c.token]);
          assert.equal(answer.valid, true, answer.code);
          const got = Object.fromEntries(Object.keys(c.principal ?? {}).map((k) => [k, answer.principal[k] || null]));
          assert.deepEqual(got, expectedPrincipal(c.principal ?? {}, claims, fx.account));
        } else {
          assert.equal(c.via, undefined);
          assert.equal((await v.verifyAccessToken(credentials[c.token])).subject, claims.sub);
        }
      } finally {
        await s?.close();
      }
    });
  }

  for (const c of cases.offline_token.filter((c) => !c.then && !c.stand_in && !c.via)) {
    test(`${c.token}${c.audience ? ` for audience ${c.audience}` : ""} -> ${c.expect}`, async () => {
      const v = new Verifier({ url: fx.url, key: fx.gateway_key });
      const run = v.verifyAccessToken(credentials[c.token], c.audience ? { audience: c.audience } : {});
      if (c.expect === "valid") {
        const t = await run;
        assert.equal(t.subject, claims.sub);
        assert.equal(t.tokenId, claims.jti);
        assert.equal(t.org, claims.org);
        assert.ok(t.expiresAt.getTime() > Date.now());
      } else {
        await assert.rejects(run, InvalidTokenError);
      }
    });
  }

  test("access_token while the JWKS cache holds an old set without its kid -> valid, after one refetch", async () => {
    const old = await signWithOwnKey({ sub: "x" }, "sk_retired");
    const jwks = await rotatingJwks({ keys: [old.jwk] });
    try {
      const v = new AccessTokenVerifier({ issuer, jwksUrl: `${jwks.url}/jwks.json` });
      // Fill the cache with the old set: a token signed by the old key passes the signature, then fails the claims.
      await assert.rejects(v.verify(old.token), (e) => e instanceof InvalidTokenError && e.reason !== "unknown_key" && e.reason !== "signature");
      assert.equal(v.jwksFetches, 1);
      const t = await v.verify(credentials.access_token);
      assert.equal(t.subject, claims.sub);
      assert.equal(v.jwksFetches, 2);
      // Another unknown kid within the minute does not fetch again.
      const made_up = await signWithOwnKey(claims, "sk_made_up");
      await assert.rejects(v.verify(made_up.token), (e) => e instanceof InvalidTokenError && e.reason === "unknown_key");
      assert.equal(v.jwksFetches, 2);
      assert.equal(jwks.served(), 2);
    } finally {
      await jwks.close();
    }
  });
});

test("offline, the fed claim of an exchanged token is credential.federation", async () => {
  const fed = { issuer: "github-actions", subject: "repo:acme/app:ref:refs/heads/main", credential: "github-main" };
  const now = Math.floor(Date.now() / 1000);
  const federated = await signWithOwnKey({ ...claims, iat: now, exp: now + 600, fed }, "test-federated");
  const plain = await signWithOwnKey({ ...claims, iat: now, exp: now + 600 }, "test-plain");
  const jwks = await localServer((req, res) => res.writeHead(200, { "content-type": "application/json" })
    .end(JSON.stringify({ keys: [federated.jwk, plain.jwk] })));
  try {
    const v = new Verifier({ url: fx.url, key: fx.gateway_key, offlineTokens: true, issuer, jwksUrl: `${jwks.url}/jwks.json` });
    const answer = await v.verify(federated.token);
    assert.equal(answer.valid, true);
    assert.equal(answer.offline, true);
    assert.deepEqual(answer.credential.federation, fed);
    const without = await v.verify(plain.token);
    assert.equal(without.valid, true);
    assert.equal(without.credential.federation, undefined);
  } finally {
    await jwks.close();
  }
});

describe("why a token is refused", () => {
  const v = new AccessTokenVerifier({ issuer, jwksUrl });
  const reasonOf = async (token, options) => {
    try {
      await v.verify(token, options);
    } catch (e) {
      assert.ok(e instanceof InvalidTokenError, String(e));
      return e.reason;
    }
    return "accepted";
  };

  test("tampered signature", async () => assert.equal(await reasonOf(credentials.tampered_token), "signature"));
  test("alg none", async () => assert.equal(await reasonOf(credentials.alg_none_token), "algorithm"));
  test("signed by a key of the same kid that is not the server's", async () => assert.equal(await reasonOf(credentials.foreign_token), "signature"));
  test("another audience", async () => assert.equal(await reasonOf(credentials.access_token, { audience: "someone-else" }), "audience"));
  test("HS256 with the server's public key as the secret", async () => {
    const jwk = (await (await fetch(jwksUrl)).json()).keys.find((k) => k.kid === kid);
    const hmac = await new SignJWT(claims).setProtectedHeader({ alg: "HS256", kid }).sign(new TextEncoder().encode(JSON.stringify(jwk)));
    assert.equal(await reasonOf(hmac), "algorithm");
  });
  test("ES384 (or any algorithm but ES256) is refused before a key is looked up", async () => {
    const { privateKey } = await generateKeyPair("ES384");
    const es384 = await new SignJWT(claims).setProtectedHeader({ alg: "ES384", kid }).sign(privateKey);
    const fresh = new AccessTokenVerifier({ issuer, jwksUrl });
    await assert.rejects(fresh.verify(es384), (e) => e.reason === "algorithm");
    assert.equal(fresh.jwksFetches, 0);
  });
  test("another issuer", async () => {
    const other = new AccessTokenVerifier({ issuer: "https://elsewhere.example", jwksUrl, audience: claims.aud });
    await assert.rejects(other.verify(credentials.access_token), (e) => e.reason === "issuer");
  });
  test("not a JWT", async () => assert.equal(await reasonOf("a.b.c"), "malformed"));

  test("expired_token, at a JWKS that knows its key, is refused for exp, not for the key", async () => {
    const jwks = await localServer((req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [expiredTokenJwk] })));
    try {
      const ev = new AccessTokenVerifier({ issuer, jwksUrl: `${jwks.url}/jwks.json` });
      await assert.rejects(ev.verify(credentials.expired_token), (e) => e instanceof InvalidTokenError && e.reason === "expired");
    } finally {
      await jwks.close();
    }
  });

  test("a token expired less than the 60 s skew ago still passes; beyond it not", async () => {
    const jwk = await signWithOwnKey({}, "unused");
    const now = Math.floor(Date.now() / 1000);
    const recent = await signWithOwnKey({ ...claims, exp: now - 30 }, "skew");
    const jwks = await localServer((req, res) => res.writeHead(200).end(JSON.stringify({ keys: [recent.jwk, jwk.jwk] })));
    try {
      const sv = new AccessTokenVerifier({ issuer, jwksUrl: `${jwks.url}/jwks.json` });
      assert.equal((await sv.verify(recent.token)).subject, claims.sub);
      const strict = new AccessTokenVerifier({ issuer, jwksUrl: `${jwks.url}/jwks.json`, clockToleranceSeconds: 10 });
      await assert.rejects(strict.verify(recent.token), (e) => e.reason === "expired");
    } finally {
      await jwks.close();
    }
  });
});

describe("when the keys cannot be had", () => {
  test("an unreachable JWKS is a ServitorError, not a verdict on the token", async () => {
    const gone = await localServer(() => {});
    await gone.close();
    const v = new AccessTokenVerifier({ issuer, jwksUrl: `${gone.url}/jwks.json` });
    await assert.rejects(v.verify(credentials.access_token), (e) => e instanceof ServitorError && e.code === "unreachable");
  });

  test("a key set larger than 256 KiB is not read to its end, announced or not", async () => {
    const huge = await localServer((req, res) => {
      res.writeHead(200, { "content-type": "application/json" }); // chunked: no Content-Length
      res.write('{"keys":[');
      const filler = `{"kty":"oct","k":"${"A".repeat(1020)}"},`;
      const pump = () => { while (!res.destroyed && res.write(filler)); }; // until the client stops reading
      res.on("drain", pump);
      pump();
    });
    try {
      const v = new AccessTokenVerifier({ issuer, jwksUrl: `${huge.url}/jwks.json` });
      await assert.rejects(v.verify(credentials.access_token), (e) => e instanceof ServitorError && e.code === "too_large");
    } finally {
      await huge.close();
    }
  });

  test("an answer that is not a key set is a ServitorError", async () => {
    const wrong = await localServer((req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"keys":"none"}'));
    try {
      const v = new AccessTokenVerifier({ issuer, jwksUrl: `${wrong.url}/jwks.json` });
      await assert.rejects(v.verify(credentials.access_token), ServitorError);
    } finally {
      await wrong.close();
    }
  });
});

describe("verify() with offlineTokens", () => {
  test("a valid token is answered from the JWKS, without /v1/verify, naming the account", async () => {
    const f = countingFetch();
    const v = new Verifier({ url: fx.url, key: fx.gateway_key, offlineTokens: true, fetch: f });
    const a = await v.verify(credentials.access_token);
    assert.equal(a.valid, true);
    assert.equal(a.code, "VALID");
    assert.equal(a.offline, true);
    assert.equal(a.principal.name, fx.account);
    assert.equal(a.principal.id, claims.sub);
    assert.equal(a.credential.kind, "access_token");
    assert.equal(await v.verify(credentials.access_token, { ip: "192.0.2.9" }), a, "the second answer comes from the cache");
    assert.equal(v.cacheSize, 1);
    assert.equal(f.count("/v1/verify"), 0);
    assert.equal(f.count("/.well-known/jwks.json"), 1);
    assert.equal(f.count("/.well-known/oauth-authorization-server"), 1);
  });

  test("bad tokens are refused offline", async () => {
    const f = countingFetch();
    const v = new Verifier({ url: fx.url, key: fx.gateway_key, offlineTokens: true, fetch: f });
    for (const t of ["tampered_token", "alg_none_token", "foreign_token"]) {
      assert.deepEqual({ ...(await v.verify(credentials[t])) }, { valid: false, code: "NOT_FOUND", offline: true }, t);
    }
    assert.equal(f.count("/v1/verify"), 0);
  });

  test("with a permission to check, the token goes to the server, which knows the permissions", async () => {
    const f = countingFetch();
    const v = new Verifier({ url: fx.url, key: fx.gateway_key, offlineTokens: true, fetch: f });
    assert.equal((await v.verify(credentials.access_token, { permission: "billing:read" })).code, "FORBIDDEN");
    assert.equal((await v.verify(credentials.access_token, { permission: "deployments:write" })).code, "VALID");
    assert.equal(f.count("/v1/verify"), 2);
  });

  test("keys still go to the server", async () => {
    const f = countingFetch();
    const v = new Verifier({ url: fx.url, key: fx.gateway_key, offlineTokens: true, fetch: f });
    assert.equal((await v.verify(fx.live_key)).code, "VALID");
    assert.equal(f.count("/v1/verify"), 1);
  });
});
