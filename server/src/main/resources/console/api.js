// SPDX-License-Identifier: Apache-2.0
// The console's one way to call the Servitor REST API.
//
// The console authenticates with the HttpOnly session cookie, which scripts cannot read.
// While an admin impersonates a service account, the impersonation token lives ONLY in the
// module variable below: never in localStorage, sessionStorage or a cookie, so reloading the
// page (or closing the tab) ends the impersonation and the console is the admin's again.

let impersonation = null; // {token, account, expiresAt (ms since epoch)}

/** A non-2xx answer: `status` (0 when the server could not be reached) and `problem` (RFC 9457 document). */
export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `Request failed (${status})`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem || {};
  }

  /** The request field the problem names (e.g. "name", "expires_in_days"), if any. */
  get field() {
    return this.problem.field || null;
  }
}

/**
 * Calls the API: `api('GET', '/v1/service-accounts?q=ci')`, `api('POST', '/v1/service-accounts', {name})`.
 * Resolves to the parsed JSON answer, or null for 204. Rejects with ApiError.
 * options.login: a 401 is the caller's business (no redirect to the log-in page).
 * options.asAdmin: send the admin's session cookie only, even while impersonating.
 */
export async function api(method, path, body, options = {}) {
  const headers = { 'Accept': 'application/json', 'X-Requested-With': 'servitor-console' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const bearer = impersonation && !options.asAdmin ? impersonation.token : null;
  if (bearer) headers['Authorization'] = 'Bearer ' + bearer;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, { title: 'Network error', detail: 'Servitor could not be reached. Check the connection and try again.' });
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch (e) { data = { title: response.statusText, detail: text.slice(0, 200) }; }
  }
  if (!response.ok) {
    const error = new ApiError(response.status, data);
    if (response.status === 401 && !options.login) unauthenticated(bearer !== null);
    throw error;
  }
  return data;
}

function unauthenticated(duringImpersonation) {
  if (duringImpersonation) {
    // the impersonation token expired or the account was disabled: back to the admin's own session
    endImpersonation('The impersonation session has ended.');
    return;
  }
  window.dispatchEvent(new CustomEvent('servitor:logged-out'));
  if (location.hash !== '#/login') location.hash = '#/login';
}

/** Starts (or refreshes) acting as `account` with an access token from POST .../impersonate. */
export function startImpersonation(account, token, expiresInSeconds) {
  impersonation = { token, account, expiresAt: Date.now() + expiresInSeconds * 1000 };
  window.dispatchEvent(new CustomEvent('servitor:impersonation', { detail: { account } }));
}

/** Drops the impersonation token: calls are made with the admin's session cookie again (quiet: no page change). */
export function endImpersonation(reason, quiet = false) {
  if (!impersonation) return;
  const account = impersonation.account;
  impersonation = null;
  window.dispatchEvent(new CustomEvent('servitor:impersonation', { detail: { account, ended: true, reason, quiet } }));
}

/** {account, expiresAt} while impersonating (never the token), otherwise null. */
export function currentImpersonation() {
  return impersonation ? { account: impersonation.account, expiresAt: impersonation.expiresAt } : null;
}
