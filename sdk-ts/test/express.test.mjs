// SPDX-License-Identifier: Apache-2.0
// servitorAuth as Express middleware (app.use and per route), over real HTTP against the real server.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import express from "express";
import { Verifier, servitorAuth, verificationOf } from "../dist/index.js";
import { fx } from "./fixtures.mjs";

let server;
let base;
const reached = [];

before(async () => {
  const verifier = new Verifier({ url: fx.url, key: fx.gateway_key });
  const app = express();
  app.get("/health", (req, res) => res.send("ok")); // before the middleware: open
  app.use(servitorAuth(verifier));
  app.get("/whoami", (req, res) => { reached.push(req.path); res.json({ name: verificationOf(req).principal.name }); });
  app.get("/billing", servitorAuth(verifier, { permission: "billing:read" }), (req, res) => { reached.push(req.path); res.json({}); });
  await new Promise((r) => { server = app.listen(0, "127.0.0.1", r); });
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => new Promise((r) => server.close(r)));

test("routes before app.use(servitorAuth) stay open", async () => {
  assert.equal((await fetch(`${base}/health`)).status, 200);
});

test("a live key reaches the route, which reads req.servitor", async () => {
  const res = await fetch(`${base}/whoami`, { headers: { authorization: `Bearer ${fx.live_key}` } });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { name: fx.account });
});

test("no credential and a revoked key are 401 before any route", async () => {
  const before = reached.length;
  for (const headers of [{}, { "x-api-key": fx.revoked_key }]) {
    const res = await fetch(`${base}/whoami`, { headers });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get("www-authenticate"), 'Bearer realm="servitor"');
  }
  assert.equal(reached.length, before);
});

test("a route's own permission is 403 for a key without it", async () => {
  const before = reached.length;
  const res = await fetch(`${base}/billing`, { headers: { authorization: `Token ${fx.live_key}` } });
  assert.equal(res.status, 403);
  assert.equal((await res.json()).code, "forbidden");
  assert.equal(reached.length, before);
});

test("verificationOf refuses a request the middleware has not seen", () => {
  assert.throws(() => verificationOf({}), /servitorAuth/);
  assert.throws(() => verificationOf({ servitor: { valid: false, code: "REVOKED" } }), /servitorAuth/);
});
