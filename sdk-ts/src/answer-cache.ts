// SPDX-License-Identifier: Apache-2.0
import * as crypto from "node:crypto";

// crypto.hash (Node ≥ 20.12) is a one-shot digest, several times cheaper than createHash for short inputs.
const sha256: (data: string) => string = typeof (crypto as { hash?: unknown }).hash === "function"
  ? (data) => crypto.hash("sha256", data, "base64")
  : (data) => crypto.createHash("sha256").update(data).digest("base64");

/**
 * Answers of `/v1/verify` for a while, keyed by the SHA-256 of the question (credential, permission, ip):
 * the raw credential is never kept, so a heap dump of the gateway shows no usable key. Bounded: past
 * `maxEntries` the oldest entry goes (entries are added in order of expiry for one TTL).
 */
export class AnswerCache<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();

  constructor(private readonly maxEntries: number) {}

  static keyOf(credential: string, permission: string | undefined, ip: string | undefined): string {
    // NUL cannot occur in a credential, permission or address the server accepts (422), so the parts cannot run together.
    return sha256(`${credential}\0${permission ?? ""}\0${ip ?? ""}`);
  }

  get(key: string, now: number): T | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: T, expiresAt: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  /** The stored keys, for a test that checks no raw credential is kept. */
  keys(): string[] {
    return [...this.entries.keys()];
  }
}
