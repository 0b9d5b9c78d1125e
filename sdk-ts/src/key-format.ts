// SPDX-License-Identifier: Apache-2.0
/**
 * The public format of Servitor keys and client secrets (docs/api.md): `<prefix>_<payload><checksum>`,
 * 43 base62 characters of payload and the CRC-32 (IEEE) of the payload's ASCII bytes in 6 base62
 * characters, most significant first. A gateway can refuse a typo or a truncated paste without any I/O.
 * Well formed says nothing about validity: only the server knows whether a key is live.
 */

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const PAYLOAD = 43;
const CHECKSUM = 6;
const MAX_PREFIX = 16;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function isBase62(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function crc32(s: string, from: number, to: number): number {
  let crc = 0xffffffff;
  for (let i = from; i < to; i++) crc = CRC_TABLE[(crc ^ s.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** The 6-character base62 CRC-32 of a payload of ASCII characters. */
export function keyChecksum(payload: string): string {
  let v = crc32(payload, 0, payload.length);
  let out = "";
  for (let i = 0; i < CHECKSUM; i++) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out;
}

/**
 * True if `s` has the shape of a Servitor key or client secret and its checksum matches; with
 * `prefix` (e.g. `svt` for keys, `svs` for secrets), also that it is exactly that prefix.
 */
export function isWellFormedKey(s: unknown, prefix?: string): boolean {
  if (typeof s !== "string") return false;
  const underscore = s.length - PAYLOAD - CHECKSUM - 1;
  if (underscore < 1 || underscore > MAX_PREFIX || s.charCodeAt(underscore) !== 95 /* _ */) return false;
  if (prefix !== undefined && (underscore !== prefix.length || !s.startsWith(prefix))) return false;
  for (let i = 0; i < s.length; i++) {
    if (i !== underscore && !isBase62(s.charCodeAt(i))) return false;
  }
  // Compare the checksum digit by digit from the least significant end: no strings are built per call.
  let v = crc32(s, underscore + 1, underscore + 1 + PAYLOAD);
  for (let i = s.length - 1; i >= s.length - CHECKSUM; i--) {
    if (s.charCodeAt(i) !== BASE62.charCodeAt(v % 62)) return false;
    v = Math.floor(v / 62);
  }
  return true;
}

/** The longest string taken for a JWT (Servitor's tokens are well under 1 KiB; its fast path reads bodies up to 8 KiB). */
const MAX_JWT = 8192;

/** True if `s` looks like a JWT (three dot-separated base64url parts); says nothing about its signature. */
export function looksLikeJwt(s: string): boolean {
  if (s.length > MAX_JWT || s.indexOf(".") < 0) return false;
  const parts = s.split(".");
  return parts.length === 3 && parts.every((p, i) => (i === 2 || p.length > 0) && /^[A-Za-z0-9_-]*$/.test(p));
}
