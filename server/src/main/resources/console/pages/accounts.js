// SPDX-License-Identifier: Apache-2.0
// #/accounts: the searchable, paged list of service accounts, and "New service account".
// The hash carries the search: #/accounts?q=ci&status=disabled&page_token=...
import { api } from '../api.js';
import { accountForm, loadChoices } from '../account-form.js';
import { navigate } from '../app.js';
import { listText, route, statusBadge } from '../admin-ui.js';
import { errorBox, field, formatTime, h, loadingNote, notify, pageHeader, table } from '../ui.js';

const PAGE_SIZE = 20;
let trail = []; // page tokens of the pages before this one, for "Previous page"

export async function render(main, params) {
  const q = params.query.get('q') || '';
  const status = params.query.get('status') || 'all';
  const token = params.query.get('page_token') || '';
  if (!token) trail = [];

  const formSlot = h('div', {});
  const newButton = h('button', { type: 'button', class: 'button-primary', 'aria-expanded': 'false', onclick: () => toggleForm() }, 'New service account');
  const search = h('form', { class: 'toolbar', role: 'search', 'aria-label': 'Search service accounts' },
    field({ label: 'Name starts with', name: 'q', type: 'search', value: q, autocomplete: 'off' }),
    field({ label: 'Status', name: 'status', type: 'select', value: status,
      options: [{ value: 'all', label: 'All' }, { value: 'active', label: 'Active' }, { value: 'disabled', label: 'Disabled' }] }),
    h('button', { type: 'submit' }, 'Search'));
  search.addEventListener('submit', (event) => {
    event.preventDefault();
    trail = [];
    navigate(hashFor(search.elements.q.value.trim(), search.elements.status.value, ''));
  });
  search.elements.status.addEventListener('change', () => search.requestSubmit());
  const results = h('div', { class: 'results', 'aria-live': 'polite', 'aria-busy': 'true' }, loadingNote());
  main.append(pageHeader('Service accounts', newButton), formSlot, search, results);

  async function toggleForm() {
    if (formSlot.firstChild) { closeForm(); return; }
    newButton.setAttribute('aria-expanded', 'true');
    formSlot.replaceChildren(loadingNote());
    try {
      const choices = await loadChoices();
      const form = accountForm({ choices, onSave: create, onCancel: closeForm });
      formSlot.replaceChildren(form);
      form.elements.name.focus();
    } catch (e) {
      formSlot.replaceChildren(errorBox(e));
    }
  }
  function closeForm() {
    formSlot.replaceChildren();
    newButton.setAttribute('aria-expanded', 'false');
    newButton.focus();
  }
  async function create(body) {
    const created = await api('POST', '/v1/service-accounts', body);
    notify(`Service account ${created.name} created.`);
    navigate(`#/accounts/${encodeURIComponent(created.name)}`);
  }

  const query = new URLSearchParams({ page_size: String(PAGE_SIZE) });
  if (q) query.set('q', q);
  if (status !== 'all') query.set('disabled', String(status === 'disabled'));
  if (token) query.set('page_token', token);
  let page;
  try {
    page = await api('GET', `/v1/service-accounts?${query}`);
  } catch (e) {
    results.replaceChildren(errorBox(e));
    results.setAttribute('aria-busy', 'false');
    return;
  }
  const filtered = q || status !== 'all';
  results.replaceChildren(...[
    table({
      caption: 'Service accounts',
      columns: [
        { label: 'Name', value: (a) => h('a', { href: `#/accounts/${encodeURIComponent(a.name)}` }, a.name) },
        { label: 'ID', value: (a) => h('code', {}, a.id) },
        { label: 'Role', value: (a) => a.role || '—' },
        { label: 'Groups', value: (a) => listText(a.groups) },
        { label: 'Network policy', value: (a) => a.network_policy || '—' },
        { label: 'Status', value: (a) => statusBadge(a) },
        { label: 'Keys', value: (a) => String(a.key_count) },
        { label: 'Created', value: (a) => formatTime(a.created_at) },
      ],
      rows: page.service_accounts,
      empty: filtered ? 'No service account matches this search.' : 'No service accounts yet. Create one with "New service account".',
    }),
    pager(page.next_page_token, q, status, token)].filter(Boolean));
  results.setAttribute('aria-busy', 'false');
}

function pager(next, q, status, token) {
  if (!next && trail.length === 0 && !token) return null;
  const previous = h('button', { type: 'button', disabled: !token, onclick: () => navigate(hashFor(q, status, trail.pop() || '')) }, 'Previous page');
  const nextButton = h('button', { type: 'button', disabled: !next, onclick: () => { trail.push(token); navigate(hashFor(q, status, next)); } }, 'Next page');
  return h('nav', { class: 'pager', 'aria-label': 'Pages' }, previous, nextButton);
}

function hashFor(q, status, token) {
  return route('accounts', { q, status: status === 'all' ? '' : status, page_token: token });
}
