// SPDX-License-Identifier: Apache-2.0
// The organization's audit log, newest first, filtered by actor, action, target and time, with
// the result of the hash-chain check. The filters live in the route
// (#/audit?actor=…&action=…&target=…&since=…&until=…&page_token=…) so they survive a reload
// and can be shared as a link.
import { api } from '../api.js';
import { h, field, clearErrors, showErrors, table, loading, loadingNote, formatTime, pageHeader, errorBox, errorMessage } from '../ui.js';
import { badge, route, fetchAll, formActions } from '../admin-ui.js';

const FILTERS = ['actor', 'action', 'target', 'since', 'until'];
const ACTIONS = [
  'service_account.create', 'service_account.update', 'service_account.disable', 'service_account.enable', 'service_account.delete',
  'key.create', 'key.revoke', 'key.rotate', 'secret.generate', 'token.issue', 'token.revoke', 'impersonation.start',
  'user.create', 'user.update', 'user.delete', 'group.create', 'group.update', 'group.delete',
  'role.create', 'role.update', 'role.delete', 'network_policy.create', 'network_policy.update', 'network_policy.delete',
  'workspace.create', 'workspace.delete', 'workspace.user_create', 'workspace.user_update', 'workspace.user_delete',
  'org.update', 'session.login', 'session.logout',
];
const PAGE_SIZE = 50;

/** A service account's address: `<name>@<org>.sa.<domain>` (api.md); users have ordinary e-mail addresses. */
export function isServiceAccountAddress(email) {
  return /^[^@\s]+@[^@.\s]+\.sa\.[^@\s]+$/.test(email || '');
}

/**
 * "2026-01-31", "2026-01-31 12:00", "2026-01-31T12:00:05" (taken as UTC) or a full RFC 3339
 * time, as RFC 3339; anything else is returned as typed, for the API to refuse next to the field.
 */
export function toRfc3339(text) {
  const s = String(text || '').trim();
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:\d{2})?$/i.exec(s);
  if (!m) return s;
  return `${m[1]}T${m[2] || '00:00'}${m[3] || ':00'}${(m[4] || 'Z').toUpperCase()}`;
}

export async function render(main, params) {
  const query = params.query || new URLSearchParams();
  const filters = Object.fromEntries(FILTERS.map((k) => [k, query.get(k) || '']));
  const pageToken = query.get('page_token');
  loading(main);

  const form = filterForm(filters);
  const chain = h('div', { class: 'chain-status', role: 'status' }, badge('Checking the chain…', 'muted'));
  const results = h('div', { class: 'audit-results', 'aria-busy': 'true' }, loadingNote());
  main.replaceChildren(
    pageHeader('Audit log'),
    h('p', { class: 'intro' }, 'Every change and every refusal, newest first. Events are hash-chained: the check below recomputes the chain.'),
    chain,
    form,
    results);

  // the chain check and the events load side by side; either may fail on its own
  const verify = api('GET', '/v1/audit-events/verify').then((c) => showChain(chain, c), (err) => {
    chain.replaceChildren(badge('Chain not checked', 'warn'), ' ', errorMessage(err));
  });
  loadSuggestions(form);

  const q = new URLSearchParams({ page_size: String(PAGE_SIZE) });
  for (const k of FILTERS) if (filters[k]) q.set(k, filters[k]);
  if (pageToken) q.set('page_token', pageToken);
  let page;
  try {
    page = await api('GET', `/v1/audit-events?${q}`);
  } catch (err) {
    results.setAttribute('aria-busy', 'false');
    const named = err.problem && FILTERS.includes(err.problem.field);
    if (named) {
      results.replaceChildren(h('p', { class: 'empty' }, 'Correct the filter marked above to see events.'));
      showErrors(form, err);
    } else {
      results.replaceChildren(errorBox(err));
    }
    await verify;
    return;
  }
  const events = page.audit_events || [];
  const filtered = FILTERS.some((k) => filters[k]);
  results.replaceChildren(
    table({
      caption: 'Audit events',
      columns: [
        { label: 'Time', value: (e) => h('time', { datetime: e.time }, formatTime(e.time)), className: 'nowrap' },
        { label: 'Actor', value: actorCell },
        { label: 'Action', value: (e) => h('code', {}, e.action) },
        { label: 'Target', value: (e) => (e.target ? h('code', {}, e.target) : '—'), className: 'wrap' },
        { label: 'Outcome', value: (e) => (e.outcome === 'success' ? badge('Success', 'ok') : badge(e.outcome || 'unknown', 'warn')) },
        { label: 'Address', value: (e) => e.ip || '—' },
        { label: 'Details', value: detailsCell, className: 'details-col' },
      ],
      rows: events,
      empty: filtered ? 'No events match these filters.' : 'No events yet.',
    }),
    pager(filters, pageToken, page.next_page_token));
  results.setAttribute('aria-busy', 'false');
  await verify;
}

function filterForm(filters) {
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter audit events', novalidate: true },
    h('div', { class: 'filter-grid' },
      field({ label: 'Actor', name: 'actor', value: filters.actor, list: 'audit-actors', autocomplete: 'off',
        help: 'An e-mail address; service accounts as name@org.sa.domain.' }),
      field({ label: 'Action', name: 'action', value: filters.action, list: 'audit-actions', autocomplete: 'off', help: 'e.g. service_account.create' }),
      field({ label: 'Target', name: 'target', value: filters.target, autocomplete: 'off',
        help: 'e.g. service_account:ci-bot (also finds its keys).' }),
      field({ label: 'From (UTC)', name: 'since', value: filters.since, autocomplete: 'off', placeholder: 'YYYY-MM-DD HH:MM',
        help: 'Events at or after this time.' }),
      field({ label: 'To (UTC)', name: 'until', value: filters.until, autocomplete: 'off', placeholder: 'YYYY-MM-DD HH:MM',
        help: 'Events before this time.' })),
    h('datalist', { id: 'audit-actors' }),
    h('datalist', { id: 'audit-actions' }, ACTIONS.map((a) => h('option', { value: a }))),
    formActions('Apply filters', h('a', { href: route('audit'), class: 'button button-quiet', id: 'clear-filters' }, 'Clear filters')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearErrors(form);
    const f = form.elements;
    const next = {};
    for (const k of FILTERS) next[k] = f[k].value.trim();
    next.since = next.since && toRfc3339(next.since);
    next.until = next.until && toRfc3339(next.until);
    window.location.hash = route('audit', next);
  });
  return form;
}

/** Fills the actor suggestions with the organization's users and service accounts (best effort). */
async function loadSuggestions(form) {
  try {
    const [users, accounts] = await Promise.all([
      fetchAll('/v1/users', 'users').then((l) => l.map((u) => u.email)),
      fetchAll('/v1/service-accounts', 'service_accounts').then((l) => l.map((a) => a.email)),
    ]);
    form.querySelector('#audit-actors').replaceChildren(...[...users, ...accounts].map((v) => h('option', { value: v })));
  } catch (e) {
    // suggestions only: the filter works without them
  }
}

function showChain(box, c) {
  if (c.intact) {
    box.replaceChildren(badge('Chain verified', 'ok'),
      ` ${c.events_checked} event${c.events_checked === 1 ? '' : 's'} checked; none has been changed or removed.`);
    return;
  }
  box.setAttribute('role', 'alert');
  box.classList.add('chain-broken');
  box.replaceChildren(badge('Chain broken', 'off'),
    ` The audit log has been tampered with at event ${c.first_broken_id || '?'}${c.first_broken_seq ? ` (number ${c.first_broken_seq})` : ''}`
    + `${c.reason ? `: ${c.reason}` : ''}. Events from there on cannot be trusted.`);
}

function actorCell(e) {
  const who = (email) => h('span', { class: 'actor' },
    h('a', { href: route('audit', { actor: email }), title: `Only events by ${email}` }, email),
    isServiceAccountAddress(email) ? [h('br'), badge('Service account', 'info')] : null);
  if (!e.on_behalf_of) return who(e.actor);
  return h('span', {}, who(e.actor), h('br'), h('span', { class: 'muted' }, 'acting as '), who(e.on_behalf_of));
}

function detailsCell(e) {
  const entries = Object.entries(e.details || {});
  if (!entries.length) return '—';
  return h('dl', { class: 'details' }, entries.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function pager(filters, pageToken, nextToken) {
  if (!pageToken && !nextToken) return null;
  return h('nav', { class: 'pager', 'aria-label': 'Audit pages' },
    pageToken ? h('a', { href: route('audit', filters), class: 'button button-quiet' }, 'Newest events') : null,
    nextToken ? h('a', { href: route('audit', { ...filters, page_token: nextToken }), class: 'button button-quiet', rel: 'next' }, 'Older events') : null);
}
