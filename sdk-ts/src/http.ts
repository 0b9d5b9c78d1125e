// SPDX-License-Identifier: Apache-2.0
import { ServitorError } from "./errors.js";

export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** Largest answer read from the server (a verification, a JWKS, a discovery document). */
const MAX_BODY = 256 * 1024;

/**
 * One request to the server with a deadline, no redirects (a credential is never sent on to another
 * address) and a bounded body; answers the parsed JSON of a 200, throws {@link ServitorError} otherwise.
 */
export async function requestJson(
  fetchImpl: FetchLike,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<unknown> {
  let res: Response;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    res = await fetchImpl(url, { ...init, redirect: "error", signal });
  } catch (e) {
    const timedOut = signal.aborted;
    throw new ServitorError(
      timedOut ? `no answer from ${url} within ${timeoutMs} ms` : `cannot reach ${url}: ${(e as Error).message}`,
      0,
      timedOut ? "timeout" : "unreachable",
      { cause: e },
    );
  }
  let text: string;
  try {
    text = await boundedText(res, url);
  } catch (e) {
    if (e instanceof ServitorError) throw e;
    throw new ServitorError(`reading the answer of ${url} failed: ${(e as Error).message}`, 0,
      signal.aborted ? "timeout" : "unreachable", { cause: e });
  }
  let body: unknown;
  try {
    body = text === "" ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (res.status !== 200) {
    const problem = (body ?? {}) as { code?: unknown; detail?: unknown; error?: unknown };
    const code = typeof problem.code === "string" ? problem.code : typeof problem.error === "string" ? problem.error : `http_${res.status}`;
    const detail = typeof problem.detail === "string" ? `: ${problem.detail}` : "";
    throw new ServitorError(`${url} answered ${res.status} ${code}${detail}`, res.status, code);
  }
  if (body === undefined) throw new ServitorError(`${url} answered 200 without JSON`, res.status, "invalid_answer");
  return body;
}

/** The body as text, reading no more than {@link MAX_BODY} bytes whatever the server announces or sends. */
async function boundedText(res: Response, url: string): Promise<string> {
  const tooLarge = () => new ServitorError(`the answer of ${url} is larger than ${MAX_BODY} bytes`, res.status, "too_large");
  if (Number(res.headers.get("content-length") ?? "0") > MAX_BODY) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString("utf8");
}
