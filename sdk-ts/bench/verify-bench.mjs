// SPDX-License-Identifier: Apache-2.0
// Per-call cost of the SDK's local work, measured with node:perf_hooks (Node has no benchmark runner of
// its own): a verify answered from the positive cache, the key-format check, and an offline token check.
// Needs a running Servitor: SERVITOR_URL and SERVITOR_TOKEN (an org admin key) in the environment;
// bench/run.sh starts one from $SERVITOR_JAR. Usage: node bench/verify-bench.mjs
import os from "node:os";
import { performance } from "node:perf_hooks";
import { Verifier, isWellFormedKey } from "../dist/index.js";

const url = process.env.SERVITOR_URL;
const token = process.env.SERVITOR_TOKEN;
if (!url || !token) throw new Error("set SERVITOR_URL and SERVITOR_TOKEN (bench/run.sh does)");

async function api(method, path, body, form) {
  const res = await fetch(url + path, {
    method,
    headers: form ? { "content-type": "application/x-www-form-urlencoded" } : { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: form ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

const name = `bench-${Date.now()}`;
await api("POST", "/v1/roles", { name, permissions: ["deployments:write"] });
const account = await api("POST", "/v1/service-accounts", { name, role: name, issue_key: true });
const key = account.key.key;
const secret = await api("POST", `/v1/service-accounts/${name}/secret`);
const accessToken = (await api("POST", "/oauth/token", undefined,
  new URLSearchParams({ grant_type: "client_credentials", client_id: secret.client_id, client_secret: secret.client_secret }))).access_token;

const verifier = new Verifier({ url, key: token, cacheTtlMs: 3_600_000 });
const offline = new Verifier({ url, key: token, offlineTokens: true });
const uncached = new Verifier({ url, key: token, cacheTtlMs: 0 });
if ((await verifier.verify(key)).code !== "VALID") throw new Error("the bench key does not verify");
if ((await offline.verify(accessToken)).code !== "VALID") throw new Error("the bench token does not verify offline");

/**
 * Runs `op` `n` times per round; prints the median of `rounds` rounds in ns per call, both wall-clock and
 * CPU time of this process (user + system): on a shared machine the CPU time is the steadier number.
 */
async function measure(label, n, op, rounds = 7) {
  for (let i = 0; i < n; i++) await op(); // warm-up: JIT and caches
  const wall = [];
  const cpu = [];
  for (let r = 0; r < rounds; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await op();
    wall.push(((performance.now() - t0) * 1e6) / n);
    const c = process.cpuUsage(c0);
    cpu.push(((c.user + c.system) * 1e3) / n);
  }
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const w = median(wall);
  console.log(`${label.padEnd(44)} ${w.toFixed(0).padStart(8)} ns/call wall ${median(cpu).toFixed(0).padStart(8)} ns/call CPU  ${(1e9 / w).toFixed(0).padStart(9)} calls/s  (median of ${rounds} × ${n})`);
}

console.log(`node ${process.version}, ${process.platform}/${process.arch}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}`);
await measure("verify(key), answered from the cache", 200_000, () => verifier.verify(key));
await measure("verify(key, {permission, ip}), from the cache", 200_000, () => verifier.verify(key, { permission: "deployments:write", ip: "192.0.2.1" }));
await measure("verify(key), cache off: POST /v1/verify", 500, () => uncached.verify(key), 5);
let wellFormed = 0; // used below, so the calls cannot be optimised away
await measure("isWellFormedKey(key)", 1_000_000, () => { if (isWellFormedKey(key)) wellFormed++; });
if (wellFormed === 0) throw new Error("the bench key is not well formed");
const typo = key.slice(0, -1) + (key.endsWith("0") ? "1" : "0");
await measure("verify(typo): format check, no request", 1_000_000, () => verifier.verify(typo));
await measure("verify(token) offline, answered from the cache", 200_000, () => offline.verify(accessToken));
await measure("verifyAccessToken(token): ES256 + claims", 5_000, () => offline.verifyAccessToken(accessToken));
