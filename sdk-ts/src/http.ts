// SPDX-License-Identifier: Apache-2.0
import { ServitorApiError, ServitorError, ServitorUnavailableError } from "./errors.js";

export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** Largest answer read from the server (a verification, a JWKS, a discovery document). */
const MAX_BODY = 256 * 1024;

/**
 * One request to the server with a deadline, no redirects (a credential is never sent on to another
 * address) and a bounded body; answers the parsed JSON of a 200, throws {@link ServitorApiError} for a 4xx
 * and {@link ServitorUnavailableError} for anything else (no answer, a 5xx, not JSON).
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
    throw new ServitorUnavailableError(
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
    throw new ServitorUnavailableError(`reading the answer of ${url} failed: ${(e as Error).message}`, 0,
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
    const message = `${url} answered ${res.status} ${code}${detail}`;
    if (res.status >= 400 && res.status < 500) throw new ServitorApiError(message, res.status, code);
    throw new ServitorUnavailableError(message, res.status, code);
  }
  if (body === undefined) throw new ServitorUnavailableError(`${url} answered 200 without JSON`, res.status, "invalid_answer");
  return body;
}

/** The body as text, reading no more than {@link MAX_BODY} bytes whatever the server announces or sends. */
async function boundedText(res: Response, url: string): Promise<string> {
  const tooLarge = () => new ServitorUnavailableError(`the answer of ${url} is larger than ${MAX_BODY} bytes`, res.status, "too_large");
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
