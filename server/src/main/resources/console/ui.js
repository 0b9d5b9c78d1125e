// SPDX-License-Identifier: Apache-2.0
// Small DOM helpers shared by every page. Data is only ever put into the page as text
// (textContent, attribute values): never through innerHTML.

let idCounter = 0;
const nextId = (base) => `${base}-${++idCounter}`;

/**
 * Builds an element: h('button', {type: 'button', class: 'danger', onclick: fn}, 'Delete').
 * attrs: `class`, `for`, event handlers as on<event> functions, `value`/`checked`/`disabled`/
 * `selected`/`hidden` set as properties, true/false for boolean attributes, null/undefined skipped.
 * Children: strings and numbers become text nodes; nodes are appended; arrays are flattened; null/false skipped.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (['value', 'checked', 'disabled', 'selected', 'hidden'].includes(key)) el[key] = value;
    else el.setAttribute(key === 'className' ? 'class' : key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/**
 * A labelled form control with a help text and an error slot, as a <div class="field">.
 * type: text (default), password, email, number, textarea, select (options: [{value, label}] or
 * strings), checkbox (value: boolean), checkboxes (options; value: array of checked values).
 * Extra: required, placeholder, autocomplete, min, max, list (a datalist id), hint (alias of help).
 * The control has the given `name`, so read it with form.elements[name].
 */
export function field({ label, name, type = 'text', value, options = [], help, required, placeholder, autocomplete, min, max, list }) {
  const id = nextId('f-' + name);
  const helpId = help ? id + '-help' : null;
  const errorId = id + '-error';
  const describedBy = [helpId, errorId].filter(Boolean).join(' ');
  const error = h('p', { class: 'field-error', id: errorId, hidden: true });
  const helpEl = help ? h('p', { class: 'field-help', id: helpId }, help) : null;
  const opts = options.map((o) => (typeof o === 'object' ? o : { value: o, label: o }));

  if (type === 'checkboxes') {
    const chosen = new Set(value || []);
    const boxes = opts.map((o) => {
      const boxId = nextId('f-' + name);
      return h('div', { class: 'check' },
        h('input', { type: 'checkbox', id: boxId, name, value: o.value, checked: chosen.has(o.value), 'aria-describedby': describedBy }),
        h('label', { for: boxId }, o.label));
    });
    return h('fieldset', { class: 'field', 'data-field': name },
      h('legend', {}, label), helpEl,
      boxes.length ? boxes : h('p', { class: 'field-help' }, 'None defined yet.'),
      error);
  }
  if (type === 'checkbox') {
    return h('div', { class: 'field field-check', 'data-field': name },
      h('div', { class: 'check' },
        h('input', { type: 'checkbox', id, name, checked: !!value, 'aria-describedby': describedBy }),
        h('label', { for: id }, label)),
      helpEl, error);
  }
  let control;
  const common = { id, name, required: !!required, 'aria-describedby': describedBy, placeholder, autocomplete };
  if (type === 'select') {
    control = h('select', common, opts.map((o) => h('option', { value: o.value, selected: String(o.value) === String(value ?? '') }, o.label)));
  } else if (type === 'textarea') {
    control = h('textarea', { ...common, rows: 3 });
    control.value = value ?? '';
  } else {
    control = h('input', { ...common, type, min, max, list, value: value ?? '' });
  }
  return h('div', { class: 'field', 'data-field': name }, h('label', { for: id }, label, required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null), control, helpEl, error);
}

/** The field wrapper of `name` in `form` (or null). */
function fieldOf(form, name) {
  return name ? form.querySelector(`[data-field="${CSS.escape(name)}"]`) : null;
}

/**
 * Shows an ApiError next to the field the problem names, or as an alert at the top of the form.
 * aliases maps API field names to form field names, e.g. {expires_in_days: 'expiry_amount'}.
 */
export function showErrors(form, error, aliases = {}) {
  clearErrors(form);
  const message = errorMessage(error);
  const apiField = (error && error.problem && error.problem.field) || null;
  const wrapper = fieldOf(form, aliases[apiField] || apiField)
    || fieldOf(form, apiField && apiField.split('.').pop());
  if (wrapper) {
    const slot = wrapper.querySelector('.field-error');
    slot.textContent = message;
    slot.hidden = false;
    wrapper.classList.add('has-error');
    const control = wrapper.querySelector('input, select, textarea');
    if (control) {
      control.setAttribute('aria-invalid', 'true');
      control.focus();
    }
    return;
  }
  const alert = h('div', { class: 'alert form-alert', role: 'alert', tabindex: '-1' }, message);
  form.prepend(alert);
  alert.focus();
}

/** Removes every message showErrors put into `form`. */
export function clearErrors(form) {
  form.querySelectorAll('.form-alert').forEach((el) => el.remove());
  form.querySelectorAll('.field-error').forEach((el) => { el.textContent = ''; el.hidden = true; });
  form.querySelectorAll('.has-error').forEach((el) => el.classList.remove('has-error'));
  form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
}

/** A modal <dialog>: focus moves into it and back to where it was when it closes. Resolves with the close value. */
function modal(dialog, initialFocus) {
  const previous = document.activeElement;
  document.body.appendChild(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (previous && typeof previous.focus === 'function' && document.contains(previous)) previous.focus();
      resolve(dialog.returnValue);
    });
    dialog.showModal();
    (initialFocus || dialog.querySelector('button')).focus();
  });
}

/** Asks before something destructive. message: string or node. Resolves true when confirmed; Cancel and Escape resolve false. */
export async function confirmDialog({ title, message, confirmLabel = 'Confirm', danger = true }) {
  const titleId = nextId('dlg-title');
  const cancel = h('button', { type: 'button', class: 'button-quiet', onclick: () => dialog.close('cancel') }, 'Cancel');
  const confirm = h('button', { type: 'button', class: danger ? 'button-danger' : 'button-primary', onclick: () => dialog.close('confirm') }, confirmLabel);
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId },
    h('h2', { id: titleId }, title),
    h('div', { class: 'dialog-body' }, message),
    h('div', { class: 'actions' }, cancel, confirm));
  return (await modal(dialog, cancel)) === 'confirm';
}

/**
 * Shows a secret once, with a copy button. extra: [[label, value], ...] shown above the secret
 * (e.g. the client_id), or a node. warning: the line under the secret, when the default (stored as a
 * hash) is not true of this secret. Resolves when the dialog is closed.
 */
export async function secretDialog({ title, secret, extra, warning }) {
  const titleId = nextId('dlg-title');
  const secretId = nextId('secret');
  const status = h('p', { class: 'copy-status', role: 'status', 'aria-live': 'polite' });
  const input = h('input', { id: secretId, class: 'secret-value', type: 'text', readonly: true, value: secret, spellcheck: 'false', autocomplete: 'off' });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      status.textContent = 'Copied to the clipboard.';
    } catch (e) {
      input.focus();
      input.select();
      status.textContent = document.execCommand && document.execCommand('copy')
        ? 'Copied to the clipboard.' : 'Copying was refused: the secret is selected, press Ctrl+C (⌘C) to copy it.';
    }
  };
  const extras = Array.isArray(extra)
    ? h('dl', { class: 'facts' }, extra.map(([k, v]) => [h('dt', {}, k), h('dd', {}, h('code', {}, v))]))
    : extra;
  const done = h('button', { type: 'button', class: 'button-primary', onclick: () => dialog.close('done') }, 'Done');
  const dialog = h('dialog', { class: 'dialog secret-dialog', 'aria-labelledby': titleId },
    h('h2', { id: titleId }, title),
    extras,
    h('label', { for: secretId }, 'Secret'),
    h('div', { class: 'secret-row' }, input, h('button', { type: 'button', class: 'copy-button', onclick: copy }, 'Copy')),
    status,
    h('p', { class: 'warning' }, warning || 'This will not be shown again. Copy it now and store it somewhere safe: Servitor keeps only a hash of it.'),
    h('div', { class: 'actions' }, done));
  await modal(dialog, input);
}

/**
 * A table in a horizontally scrollable region, or the `empty` message when there are no rows.
 * columns: [{label, value: (row) => string | Node, className?}].
 */
export function table({ columns, rows, empty = 'Nothing here yet.', caption }) {
  if (!rows || rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h('div', { class: 'table-wrap', role: 'region', tabindex: '0', 'aria-label': caption || 'Table' },
    h('table', {},
      caption ? h('caption', { class: 'visually-hidden' }, caption) : null,
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.className }, c.label)))),
      h('tbody', {}, rows.map((row) => h('tr', {}, columns.map((c) => h('td', { class: c.className, 'data-label': c.label }, c.value(row))))))));
}

/** A "Loading…" status line. */
export function loadingNote() {
  return h('p', { class: 'loading', role: 'status' }, 'Loading…');
}

/** Replaces the content of `main` with a loading indicator. */
export function loading(main) {
  main.replaceChildren(loadingNote());
}

/** What an error (an ApiError or any error) says to the user. */
export function errorMessage(error) {
  const p = (error && error.problem) || {};
  return p.detail || p.title || (error && error.message) || 'Something went wrong.';
}

/** An alert box for a failed load (an ApiError or any error). */
export function errorBox(error) {
  return h('div', { class: 'alert', role: 'alert' }, errorMessage(error));
}

/** Announces a short message (aria-live) and shows it for a few seconds. */
export function notify(message) {
  const region = document.getElementById('notice');
  if (!region) return;
  region.textContent = message;
  region.classList.add('visible');
  clearTimeout(notify.timer);
  notify.timer = setTimeout(() => region.classList.remove('visible'), 6000);
}

/** "2026-05-01 14:03 UTC" for an RFC 3339 time; "—" for none. */
export function formatTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

/** A page heading row: title and optional action buttons. */
export function pageHeader(title, ...actions) {
  return h('div', { class: 'page-header' }, h('h1', {}, title), h('div', { class: 'actions' }, actions));
}
