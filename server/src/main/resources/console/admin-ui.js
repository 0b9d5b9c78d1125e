// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the pages, on top of ui.js. Everything builds DOM nodes (never HTML strings
// with data) and styles through console.css classes, so the console's Content-Security-Policy
// needs no 'unsafe-inline'.
import { api, ApiError } from './api.js';
import { h, showErrors, errorBox, confirmDialog, notify } from './ui.js';

/** The help text of every name field: the rule of api.md. */
export const NAME_HELP = '1–63 letters, digits, _ or -, starting with a letter or digit.';

/** One entry a line, trimmed, blank lines dropped (lists of IPs, permissions). */
export function lines(text) {
  return String(text ?? '').split(/\r?\n/).map((s) => s.trim()).filter((s) => s.length > 0);
}

/**
 * Shows an API error next to the control it names. The API names list entries as
 * `allowed_ips[2]` or `permissions[0]`: such an error goes next to the list's control (one
 * entry a line) and says which line and which entry are at fault.
 */
export function showFieldErrors(form, err, aliases = {}) {
  const field = err && err.problem ? err.problem.field : null;
  const m = field ? /^(.+)\[(\d+)\]$/.exec(field) : null;
  const control = m ? form.elements.namedItem(aliases[m[1]] || m[1]) : null;
  if (m && control && 'value' in control) {
    const index = Number(m[2]);
    const entry = lines(control.value)[index];
    const reason = (err.problem.detail || '').replace(/^'[^']*'\s*/, '');
    const detail = entry === undefined ? err.problem.detail : `Line ${index + 1}, '${entry}', ${reason}`;
    showErrors(form, new ApiError(err.status, { ...err.problem, field: m[1], detail }), aliases);
    return;
  }
  showErrors(form, err, aliases);
}

/** Shows an error that no form field explains (a refused delete, say) at the top of the page. */
export function pageError(main, err) {
  main.querySelectorAll('.page-error').forEach((el) => el.remove());
  const box = errorBox(err);
  box.classList.add('page-error');
  box.setAttribute('tabindex', '-1');
  const header = main.querySelector('.page-header');
  if (header) header.after(box); else main.prepend(box);
  box.focus();
}

/**
 * Asks {confirm} (title, message, confirmLabel), then DELETEs path: a refusal of the API is
 * shown at the top of main; on success says done and awaits after().
 */
export async function confirmAndDelete(main, { confirm, path, done, after }) {
  if (!(await confirmDialog(confirm))) return;
  try {
    await api('DELETE', path);
  } catch (err) {
    pageError(main, err);
    return;
  }
  notify(done);
  await after();
}

/** A small inline label, e.g. "Built-in" or "Service account"; kind picks its colours. */
export function badge(text, kind) {
  return h('span', { class: `badge${kind ? ` badge-${kind}` : ''}` }, text);
}

/** "Active" or "Disabled", for a service account or a user. */
export function statusBadge(item) {
  return item.disabled ? badge('Disabled', 'off') : badge('Active', 'ok');
}

/** `#/<page>?k=v&...`, leaving out empty values. */
export function route(page, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return `#/${page}${s ? `?${s}` : ''}`;
}

/** Every item of a paged list, following next_page_token. */
export async function fetchAll(path, key) {
  const items = [];
  let token = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await api('GET', `${path}${sep}page_size=1000${token ? `&page_token=${encodeURIComponent(token)}` : ''}`);
    items.push(...(page[key] || []));
    token = page.next_page_token || null;
  } while (token);
  return items;
}

/** The checked values of the checkboxes named `name` in `form`. */
export function checkedValues(form, name) {
  return [...form.querySelectorAll('input[type=checkbox]')].filter((i) => i.name === name && i.checked).map((i) => i.value);
}

/** Disables a form's submit button while `work` runs, so a double click sends once. */
export async function busy(form, work) {
  const submit = form.querySelector('button[type=submit]');
  if (submit) submit.disabled = true;
  form.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    if (submit) submit.disabled = false;
    form.removeAttribute('aria-busy');
  }
}

/** Moves focus to the first form control of a newly shown part of the page. */
export function focusFirst(container) {
  if (!container) return;
  const target = container.querySelector('input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])');
  if (target) target.focus();
}

/** A titled panel (a create form, the details of one item). */
let panels = 0;
export function panel(title, ...children) {
  const id = `panel-${++panels}`;
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

/**
 * A "New …" button that shows and hides a panel below the page header; the panel starts
 * hidden, and showing it moves focus to its first field.
 */
export function toggler(label, target, id) {
  target.hidden = true;
  const b = h('button', { type: 'button', class: 'button-primary', id, 'aria-expanded': 'false' }, label);
  b.addEventListener('click', () => {
    target.hidden = !target.hidden;
    b.setAttribute('aria-expanded', String(!target.hidden));
    if (!target.hidden) focusFirst(target);
  });
  return b;
}

/** The row of buttons at the end of a form. */
export function formActions(submitLabel, ...more) {
  return h('div', { class: 'actions form-actions' }, h('button', { type: 'submit', class: 'button-primary' }, submitLabel), ...more);
}

/** A comma-separated list as text, or an em dash for none. */
export function listText(items) {
  return items && items.length ? items.join(', ') : '—';
}

/**
 * A function that renders the page again in place (after a create or delete the route does not
 * change), keeping keyboard focus in the page instead of losing it to the document body.
 */
export function refresher(render, main, params) {
  return async () => {
    await render(main, params);
    if (!document.activeElement || document.activeElement === document.body) main.focus({ preventScroll: true });
  };
}
