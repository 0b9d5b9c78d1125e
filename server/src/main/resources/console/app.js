// SPDX-License-Identifier: Apache-2.0
// The console shell: who is logged in, the navigation, the impersonation banner and a
// hash router that loads one page module per route (pages/<page>.js exporting render(main, params)).
import { api, currentImpersonation, endImpersonation, startImpersonation } from './api.js';
import { errorBox, h, loadingNote, notify } from './ui.js';

const ROUTES = [
  { pattern: /^\/login$/, page: 'login', title: 'Log in' },
  { pattern: /^\/accounts$/, page: 'accounts', title: 'Service accounts' },
  { pattern: /^\/accounts\/([^/]+)$/, page: 'account', title: 'Service account', keys: ['name'] },
  { pattern: /^\/users$/, page: 'users', title: 'Users' },
  { pattern: /^\/groups$/, page: 'groups', title: 'Groups' },
  { pattern: /^\/roles$/, page: 'roles', title: 'Roles' },
  { pattern: /^\/policies$/, page: 'policies', title: 'Network policies' },
  { pattern: /^\/workspaces$/, page: 'workspaces', title: 'Workspaces' },
  { pattern: /^\/webhooks$/, page: 'webhooks', title: 'Webhooks' },
  { pattern: /^\/federation$/, page: 'federation', title: 'Federation issuers' },
  { pattern: /^\/audit$/, page: 'audit', title: 'Audit log' },
  { pattern: /^\/org$/, page: 'org', title: 'Organization' },
];

let identity = null; // the answer of GET /v1/whoami, or null when logged out
let renderCount = 0;
let countdown = null;

/** The answer of GET /v1/whoami for the current caller (the impersonated account while impersonating), or null. */
export function whoami() {
  return identity;
}

/** Asks the API who is logged in again (after log-in, impersonation, ...); returns the identity or null. */
export async function refreshIdentity() {
  try {
    identity = await api('GET', '/v1/whoami', undefined, { login: true });
  } catch (e) {
    if (e.status !== 401) throw e;
    identity = null;
  }
  renderHeader();
  return identity;
}

/** Goes to a route: navigate('#/accounts/ci-bot'). Re-renders even when the hash is unchanged. */
export function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

/** Logs out (ends an impersonation first) and shows the log-in page. */
export async function logout() {
  endImpersonation(null, true);
  try {
    await api('DELETE', '/v1/session', undefined, { login: true, asAdmin: true });
  } catch (e) {
    if (e.status !== 401) { notify('Logging out failed: ' + e.message); return; }
  }
  identity = null;
  renderHeader();
  notify('You are logged out.');
  navigate('#/login');
}

/** Impersonates service account `name` (or refreshes the two-hour session) with the admin's own session. */
export async function impersonate(name) {
  const answer = await api('POST', `/v1/service-accounts/${encodeURIComponent(name)}/impersonate`, undefined, { asAdmin: true });
  startImpersonation(name, answer.access_token, answer.expires_in);
  await refreshIdentity();
  return answer;
}

function parse(hash) {
  const raw = hash.replace(/^#/, '') || '/accounts';
  const [path, search] = raw.split('?');
  for (const r of ROUTES) {
    const m = path.match(r.pattern);
    if (m) {
      const params = { query: new URLSearchParams(search || '') };
      (r.keys || []).forEach((k, i) => { params[k] = decodeURIComponent(m[i + 1]); });
      return { ...r, params };
    }
  }
  return null;
}

async function route() {
  const hash = location.hash;
  if (hash && !hash.startsWith('#/')) return; // an in-page anchor such as the skip link
  const current = ++renderCount;
  const main = document.getElementById('main');
  const target = parse(hash);
  if (!identity && (!target || target.page !== 'login')) {
    location.replace('#/login');
    return;
  }
  if (identity && target && target.page === 'login') {
    location.replace('#/accounts');
    return;
  }
  markNav(target && target.page);
  main.replaceChildren(loadingNote());
  if (!target) {
    show(main, 'Not found', 'There is no such page in the console.');
    return;
  }
  document.title = `${target.title} · Servitor console`;
  let module;
  try {
    module = await import(`./pages/${target.page}.js`);
  } catch (e) {
    if (current === renderCount) show(main, target.title, 'This page is not available.');
    return;
  }
  if (current !== renderCount) return;
  main.replaceChildren();
  try {
    await module.render(main, target.params);
  } catch (e) {
    if (current !== renderCount) return;
    main.replaceChildren(errorBox(e));
  }
  if (current === renderCount && document.activeElement === document.body) main.focus({ preventScroll: true });
}

function show(main, title, message) {
  main.replaceChildren(h('h1', {}, title), h('p', { class: 'empty' }, message));
}

function markNav(page) {
  const section = page === 'account' ? 'accounts' : page;
  document.querySelectorAll('#nav a').forEach((a) => {
    if (a.dataset.route === section) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
}

function renderHeader() {
  const logged = identity !== null;
  document.getElementById('nav').hidden = !logged;
  document.getElementById('who').hidden = !logged;
  const name = document.getElementById('who-name');
  if (!logged) { name.textContent = ''; renderBanner(); return; }
  const acting = identity.actor;
  name.textContent = acting ? `${acting.name} acting as ${identity.principal.name}` : identity.principal.name;
  name.title = identity.principal.email || '';
  renderBanner();
}

function renderBanner() {
  const banner = document.getElementById('banner');
  const imp = currentImpersonation();
  clearInterval(countdown);
  if (!imp || !identity) {
    banner.hidden = true;
    banner.replaceChildren();
    document.body.classList.remove('impersonating');
    return;
  }
  const remaining = h('strong', { id: 'impersonation-remaining' });
  const tick = () => {
    const left = Math.max(0, Math.round((imp.expiresAt - Date.now()) / 1000));
    remaining.textContent = `${Math.floor(left / 3600)}:${String(Math.floor(left / 60) % 60).padStart(2, '0')}:${String(left % 60).padStart(2, '0')}`;
    if (left === 0) endImpersonation('The two-hour impersonation session has expired.');
  };
  tick();
  countdown = setInterval(tick, 1000);
  const email = identity.principal.email ? ` (${identity.principal.email})` : '';
  banner.replaceChildren(
    h('p', { class: 'banner-text' },
      'You are acting as service account ', h('strong', { id: 'impersonated-account' }, imp.account), email,
      '. Session time left: ', remaining, '.'),
    h('div', { class: 'actions' },
      h('button', { type: 'button', id: 'impersonation-refresh', onclick: refreshImpersonation }, 'Refresh session'),
      h('button', { type: 'button', id: 'impersonation-return', class: 'button-primary', onclick: () => endImpersonation() }, 'Return to admin')));
  banner.hidden = false;
  document.body.classList.add('impersonating');
}

async function refreshImpersonation() {
  const imp = currentImpersonation();
  if (!imp) return;
  try {
    await impersonate(imp.account);
    notify(`Impersonation session of ${imp.account} refreshed: two hours left.`);
  } catch (e) {
    notify('Refreshing the session failed: ' + e.message);
  }
}

window.addEventListener('servitor:impersonation', async (event) => {
  const { account, ended, reason, quiet } = event.detail;
  if (!ended || quiet) { renderBanner(); return; }
  await refreshIdentity();
  notify(reason ? `${reason} You are ${identity ? identity.principal.name : 'logged out'} again.` : `You stopped acting as ${account}.`);
  if (identity) navigate(`#/accounts/${encodeURIComponent(account)}`);
});
window.addEventListener('servitor:logged-out', () => { identity = null; renderHeader(); });
window.addEventListener('hashchange', route);

document.getElementById('logout').addEventListener('click', logout);
document.getElementById('skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  document.getElementById('main').focus();
});

(async function start() {
  try {
    await refreshIdentity();
  } catch (e) {
    document.getElementById('main').replaceChildren(h('div', { class: 'alert', role: 'alert' }, 'Servitor could not be reached: ' + e.message));
    return;
  }
  route();
})();
