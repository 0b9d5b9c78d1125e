// SPDX-License-Identifier: Apache-2.0
// cases.json "key_format": the offline check of the key format, with and without an expected prefix.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { crc32 as zlibCrc32 } from "node:zlib";
import { Verifier, isWellFormedKey, keyChecksum } from "../dist/index.js";

const cases = JSON.parse(readFileSync(new URL("../../sdk-cases/cases.json", import.meta.url), "utf8"));

for (const c of cases.key_format) {
  test(`key format: ${c.why} -> ${c.well_formed ? "well formed" : "malformed"}`, () => {
    assert.equal(isWellFormedKey(c.input, c.prefix), c.well_formed, JSON.stringify(c.input));
    const v = new Verifier({ url: "http://127.0.0.1:9", key: "unused", ...(c.prefix ? { keyPrefix: c.prefix } : {}) });
    assert.equal(v.isWellFormedKey(c.input), c.well_formed);
  });
}

const B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** The checksum computed another way: zlib's CRC-32 written in base62 with BigInt. */
function referenceChecksum(payload) {
  let v = BigInt(zlibCrc32(payload));
  let digits = "";
  for (let i = 0; i < 6; i++, v /= 62n) digits = B62[Number(v % 62n)] + digits;
  return digits;
}

test("the checksum is zlib's CRC-32 in 6 base62 digits, most significant first, zero-padded", () => {
  assert.equal(keyChecksum("0".repeat(43)), "2CZclj");
  let padded = 0;
  for (let n = 0; n < 2000; n++) {
    let payload = "";
    for (let i = 0; i < 43; i++) payload += B62[Math.floor(Math.random() * 62)];
    const expected = referenceChecksum(payload);
    assert.equal(keyChecksum(payload), expected, payload);
    if (expected.startsWith("0")) padded++;
    assert.equal(isWellFormedKey(`svt_${payload}${expected}`), true);
  }
  assert.ok(padded > 0, "some checksums had a leading zero");
});

test("anything but a string is not a key", () => {
  for (const x of [undefined, null, 42, {}, ["svt_WJFJxssbRyw70hMaKcpXkzrWuhlIIaJ88ahus6dYqyb4UJaTC"]]) {
    assert.equal(isWellFormedKey(x), false);
  }
});
