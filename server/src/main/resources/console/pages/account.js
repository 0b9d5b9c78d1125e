// SPDX-License-Identifier: Apache-2.0
// #/accounts/<name>: one service account: details, edit, disable/enable, delete, impersonate,
// its API keys (create with a shown-once dialog and restrictions, restrict, rotate, revoke), its client secret,
// its workload identities (keyless federation), its compute settings and the workspace users linked to it.
import { api, currentImpersonation } from '../api.js';
import { accountForm, loadChoices } from '../account-form.js';
import { impersonate, navigate, whoami } from '../app.js';
import { busy, checkedValues, lines, listText, pageError, showFieldErrors, statusBadge } from '../admin-ui.js';
import { renderWorkloadIdentities } from '../workload-identities.js';
import { clearErrors, confirmDialog, errorBox, field, formatTime, h, loadingNote, notify, pageHeader, secretDialog, showErrors, table } from '../ui.js';

const DEFAULT_SIZES = ['pulse', 'standard', 'jumbo', 'mega', 'giga'];
const path = (name) => `/v1/service-accounts/${encodeURIComponent(name)}`;

export async function render(main, params) {
  let account;
  try {
    account = await api('GET', path(params.name));
  } catch (e) {
    main.append(pageHeader(params.name));
    main.append(errorBox(e));
    if (e.status === 403 && currentImpersonation() && whoami()) main.append(actingAs());
    if (e.status === 404) main.append(h('p', {}, h('a', { href: '#/accounts' }, 'Back to the service accounts')));
    return;
  }
  const reload = () => navigate(`#/accounts/${encodeURIComponent(account.name)}`);
  const detailSlot = h('div', {}, details(account));

  const edit = h('button', { type: 'button', 'aria-expanded': 'false', onclick: () => openEdit() }, 'Edit');
  const toggle = account.disabled
    ? h('button', { type: 'button', onclick: () => setDisabled(account, false, reload) }, 'Enable')
    : h('button', { type: 'button', onclick: () => setDisabled(account, true, reload) }, 'Disable');
  const imp = h('button', { type: 'button', onclick: () => startImpersonating(account) }, 'Impersonate');
  const del = h('button', { type: 'button', class: 'button-danger', onclick: () => remove(main, account) }, 'Delete');
  main.append(
    h('p', { class: 'breadcrumb' }, h('a', { href: '#/accounts' }, 'Service accounts'), ' / ', account.name),
    pageHeader(account.name, edit, toggle, imp, del),
    detailSlot);

  async function openEdit() {
    edit.setAttribute('aria-expanded', 'true');
    detailSlot.replaceChildren(loadingNote());
    try {
      const form = accountForm({
        account,
        choices: await loadChoices(),
        onSave: async (body) => {
          const updated = await api('PATCH', path(account.name), body);
          notify(`Service account ${updated.name} saved.`);
          navigate(`#/accounts/${encodeURIComponent(updated.name)}`);
        },
        onCancel: () => { detailSlot.replaceChildren(details(account)); edit.setAttribute('aria-expanded', 'false'); edit.focus(); },
      });
      detailSlot.replaceChildren(form);
      form.elements.name.focus();
    } catch (e) {
      detailSlot.replaceChildren(errorBox(e));
    }
  }

  const keys = h('section', { class: 'card', 'aria-labelledby': 'keys-title' });
  const secret = h('section', { class: 'card', 'aria-labelledby': 'secret-title' });
  const compute = h('section', { class: 'card', 'aria-labelledby': 'compute-title' });
  const linked = h('section', { class: 'card', 'aria-labelledby': 'linked-title' });
  const workloads = h('section', { class: 'card', id: 'workload-identities', 'aria-labelledby': 'workload-identities-title' });
  main.append(keys, secret, workloads, compute, linked);
  renderSecret(secret, account);
  renderLinked(linked, account);
  await Promise.all([renderKeys(keys, account), renderWorkloadIdentities(workloads, account), renderCompute(compute, account)]);
}

function details(a) {
  return h('div', { class: 'card' },
    h('dl', { class: 'facts' },
      h('dt', {}, 'Status'), h('dd', { id: 'account-status' }, statusBadge(a)),
      h('dt', {}, 'ID (client_id)'), h('dd', {}, h('code', {}, a.id)),
      h('dt', {}, 'Email'), h('dd', {}, h('code', {}, a.email)),
      h('dt', {}, 'Description'), h('dd', {}, a.description || '—'),
      h('dt', {}, 'Role'), h('dd', {}, a.role || '—'),
      h('dt', {}, 'Groups'), h('dd', {}, listText(a.groups)),
      h('dt', {}, 'Network policy'), h('dd', {}, a.network_policy || '—'),
      h('dt', {}, 'Organization admin'), h('dd', {}, a.is_org_admin ? 'Yes' : 'No'),
      h('dt', {}, 'Created'), h('dd', {}, `${formatTime(a.created_at)}${a.created_by ? ' by ' + a.created_by : ''}`),
      h('dt', {}, 'Updated'), h('dd', {}, formatTime(a.updated_at))));
}

/** What stops working when the account is disabled or deleted, in words. */
function whatStops(a) {
  const keys = a.key_count === 1 ? 'its 1 API key' : `its ${a.key_count} API keys`;
  return `${keys}, its client secret and every OAuth access token issued to it (including impersonation sessions)`;
}

async function setDisabled(a, disabled, reload) {
  if (disabled) {
    const ok = await confirmDialog({
      title: `Disable ${a.name}?`,
      message: h('p', {}, `While ${a.name} is disabled, ${whatStops(a)} stop working: every call with them gets 401. `
        + 'Enabling the account makes them work again.'),
      confirmLabel: 'Disable',
    });
    if (!ok) return;
  }
  try {
    await api('POST', `${path(a.name)}/${disabled ? 'disable' : 'enable'}`);
    notify(`Service account ${a.name} ${disabled ? 'disabled' : 'enabled'}.`);
    reload();
  } catch (e) {
    notify(`${disabled ? 'Disabling' : 'Enabling'} failed: ${e.message}`);
  }
}

async function remove(main, a) {
  const ok = await confirmDialog({
    title: `Delete ${a.name}?`,
    message: [
      h('p', {}, `Deleting ${a.name} cannot be undone. These stop working at once: ${whatStops(a)}.`),
      a.linked_users.length
        ? h('p', { class: 'warning' }, `It is linked to workspace users (${a.linked_users.join(', ')}): remove those links first, or the deletion is refused.`)
        : null,
    ],
    confirmLabel: 'Delete service account',
  });
  if (!ok) return;
  try {
    await api('DELETE', path(a.name));
    notify(`Service account ${a.name} deleted.`);
    navigate('#/accounts');
  } catch (e) {
    pageError(main, e);
  }
}

async function startImpersonating(a) {
  const ok = await confirmDialog({
    title: `Impersonate ${a.name}?`,
    message: h('p', {}, `The console will act as ${a.name} for up to two hours, with its permissions only. `
      + 'Everything you do is audited as done by you on its behalf. Reloading the page ends the impersonation.'),
    confirmLabel: 'Impersonate', danger: false,
  });
  if (!ok) return;
  try {
    await impersonate(a.name);
    notify(`You are now acting as ${a.name}.`);
    navigate(`#/accounts/${encodeURIComponent(a.name)}`);
  } catch (e) {
    notify('Impersonation failed: ' + e.message);
  }
}

/** While impersonating an account that may not read this page: what it may do. */
function actingAs() {
  const me = whoami();
  return h('div', { class: 'card' },
    h('h2', {}, `Acting as ${me.principal.name}`),
    h('p', {}, 'Its permissions: ', me.permissions.length ? me.permissions.join(', ') : 'none'));
}

// ------------------------------------------------------------------ keys

const DAY_MS = 24 * 60 * 60 * 1000;

/** A warning badge for a key that expires within 7 days ("expires in 3 days"), else null. */
function expiringSoon(expiresAt) {
  const left = new Date(expiresAt).getTime() - Date.now();
  if (Number.isNaN(left) || left <= 0 || left > 7 * DAY_MS) return null;
  const days = Math.ceil(left / DAY_MS);
  return h('span', { class: 'badge badge-warn expiring' }, days === 1 ? 'expires in 1 day' : `expires in ${days} days`);
}

async function renderKeys(section, a) {
  const list = h('div', { 'aria-live': 'polite' }, loadingNote());
  const formSlot = h('div', {});
  const create = h('button', { type: 'button', class: 'button-primary', 'aria-expanded': 'false', onclick: () => toggle() }, 'Create key');
  section.replaceChildren(h('div', { class: 'page-header' }, h('h2', { id: 'keys-title' }, 'API keys'), h('div', { class: 'actions' }, create)), formSlot, list);

  const refresh = async () => {
    try {
      const { keys } = await api('GET', `${path(a.name)}/keys`);
      list.replaceChildren(table({
        caption: 'API keys',
        columns: [
          { label: 'Name', value: (k) => k.name },
          { label: 'Description', value: (k) => k.description || '—', className: 'wrap' },
          { label: 'Type', value: (k) => k.type },
          { label: 'Prefix', value: (k) => h('code', {}, k.prefix) },
          { label: 'Created', value: (k) => formatTime(k.created_at) },
          { label: 'Expires', value: (k) => (k.expires_at ? h('span', {}, formatTime(k.expires_at), ' ', expiringSoon(k.expires_at)) : 'Never') },
          { label: 'Last used', value: (k) => (k.last_used_at ? `${formatTime(k.last_used_at)}${k.last_used_ip ? ' from ' + k.last_used_ip : ''}` : 'Never') },
          { label: 'Restrictions', value: (k) => restrictionsSummary(k.restrictions), className: 'wrap' },
          { label: 'Actions', value: (k) => h('div', { class: 'actions' },
            h('button', { type: 'button', 'aria-label': `Restrict key ${k.name}`, onclick: () => restrict(k) }, 'Restrict'),
            h('button', { type: 'button', 'aria-label': `Rotate key ${k.name}`, onclick: () => rotate(k) }, 'Rotate'),
            h('button', { type: 'button', class: 'button-danger', 'aria-label': `Revoke key ${k.name}`, onclick: () => revoke(k) }, 'Revoke')) },
        ],
        rows: keys,
        empty: `${a.name} has no API keys. Create one with "Create key".`,
      }));
    } catch (e) {
      list.replaceChildren(errorBox(e));
    }
  };

  async function toggle() {
    if (formSlot.firstChild) { formSlot.replaceChildren(); create.setAttribute('aria-expanded', 'false'); return; }
    create.setAttribute('aria-expanded', 'true');
    const form = keyForm(a, await permissionChoices(), null, async (created) => {
      formSlot.replaceChildren();
      create.setAttribute('aria-expanded', 'false');
      await secretDialog({ title: `API key ${created.name} of ${a.name}`, secret: created.key,
        extra: [['Key name', created.name], ['Expires', created.expires_at ? formatTime(created.expires_at) : 'Never']] });
      await refresh();
    });
    formSlot.replaceChildren(form);
    form.elements.name.focus();
  }

  /** The restriction fields of one key, filled in, in place of the create form; saved with PATCH. */
  async function restrict(k) {
    create.setAttribute('aria-expanded', 'false');
    const form = keyForm(a, await permissionChoices(), k, async (updated) => {
      formSlot.replaceChildren();
      notify(`Restrictions of key ${updated.name} saved.`);
      await refresh();
    }, () => formSlot.replaceChildren());
    formSlot.replaceChildren(form);
    form.querySelector('input, textarea, select').focus();
  }

  async function rotate(k) {
    const ok = await confirmDialog({
      title: `Rotate key ${k.name}?`,
      message: h('p', {}, `A new key replaces ${k.name} and is shown once. The old key stops working immediately: `
        + 'every client using it must switch to the new one.'),
      confirmLabel: 'Rotate key',
    });
    if (!ok) return;
    try {
      const created = await api('POST', `${path(a.name)}/keys/${encodeURIComponent(k.id)}/rotate`);
      await secretDialog({ title: `New key for ${k.name}`, secret: created.key, extra: [['Key name', created.name]] });
    } catch (e) {
      notify('Rotating failed: ' + e.message);
    }
    await refresh();
  }

  async function revoke(k) {
    const ok = await confirmDialog({
      title: `Revoke key ${k.name}?`,
      message: h('p', {}, `Key ${k.name} (${k.prefix}…) of ${a.name} stops working at once: every call with it gets 401. This cannot be undone.`),
      confirmLabel: 'Revoke key',
    });
    if (!ok) return;
    try {
      await api('DELETE', `${path(a.name)}/keys/${encodeURIComponent(k.id)}`);
      notify(`Key ${k.name} revoked.`);
    } catch (e) {
      notify('Revoking failed: ' + e.message);
    }
    await refresh();
  }

  await refresh();
}

/** Every permission some role lists, and org_admin: what a key may be restricted to. */
async function permissionChoices() {
  try {
    const { roles } = await api('GET', '/v1/roles');
    return [...new Set(['org_admin', ...roles.flatMap((r) => r.permissions)])].sort();
  } catch (e) {
    return ['org_admin'];
  }
}

/** A key's restrictions in a line ("permissions: a, b · IPs: 10.0.0.0/8 · 100 per 60 s · 1000 uses, +1000 a day"), or "None". */
function restrictionsSummary(r) {
  if (!r) return 'None';
  const parts = [];
  if (r.permissions) parts.push(`permissions: ${r.permissions.length ? r.permissions.join(', ') : 'none'}`);
  if (r.allowed_ips) parts.push(`IPs: ${r.allowed_ips.join(', ')}`);
  if (r.rate_limit) parts.push(`${r.rate_limit.limit} per ${r.rate_limit.period_seconds} s`);
  if (r.remaining_uses !== undefined) {
    parts.push(`${r.remaining_uses} uses` + (r.refill ? `, refilled to ${r.refill.amount} every ${r.refill.interval}` : ''));
  }
  return parts.join(' · ');
}

/** API field names of a restriction refusal -> the form's controls. */
const RESTRICTION_FIELDS = {
  'restrictions.permissions': 'permissions', 'restrictions.allowed_ips': 'allowed_ips',
  'restrictions.rate_limit': 'rate_limit', 'restrictions.rate_limit.limit': 'rate_limit',
  'restrictions.rate_limit.period_seconds': 'rate_period', 'restrictions.remaining_uses': 'remaining_uses',
  'restrictions.refill': 'refill_amount', 'restrictions.refill.amount': 'refill_amount', 'restrictions.refill.interval': 'refill_interval',
};

/** The restriction controls; `r` fills them in (editing a key). */
function restrictionFields(permissions, r) {
  const rr = r || {};
  return h('fieldset', { class: 'restrictions' }, h('legend', {}, 'Restrictions (optional)'),
    h('div', { class: 'form-grid' },
      h('div', {},
        field({ label: 'Only these permissions', name: 'permissions', type: 'checkboxes', value: rr.permissions || [],
          options: [...new Set([...permissions, ...(rr.permissions || [])])],
          help: 'None checked: every permission of the account. A key never holds more than its account, whatever is checked.' }),
        field({ label: 'Allowed IP addresses', name: 'allowed_ips', type: 'textarea', value: (rr.allowed_ips || []).join('\n'),
          help: 'One address or CIDR a line (10.0.0.0/8, 2001:db8::/32). Empty: any address.' })),
      h('div', {},
        field({ label: 'Rate limit: uses', name: 'rate_limit', type: 'number', min: 1, max: 1000000,
          value: rr.rate_limit ? rr.rate_limit.limit : '', help: '1–1,000,000 uses per period. Empty: no rate limit.' }),
        field({ label: 'Rate limit: period in seconds', name: 'rate_period', type: 'number', min: 1, max: 86400,
          value: rr.rate_limit ? rr.rate_limit.period_seconds : '', help: '1–86,400 seconds.' }),
        field({ label: 'Remaining uses', name: 'remaining_uses', type: 'number', min: 0,
          value: rr.remaining_uses ?? '', help: 'Uses left before the key is refused. Empty: unlimited.' }),
        field({ label: 'Refill to', name: 'refill_amount', type: 'number', min: 1,
          value: rr.refill ? rr.refill.amount : '', help: 'Remaining uses are set back to this every day or month. Needs remaining uses.' }),
        field({ label: 'Refill every', name: 'refill_interval', type: 'select', value: rr.refill ? rr.refill.interval : 'day',
          options: [{ value: 'day', label: 'Day' }, { value: 'month', label: 'Month' }] }))));
}

/** The restrictions the form holds, in the API's shape; a string names a field in error instead. */
function restrictionsOf(form) {
  const e = form.elements;
  const r = {};
  const whole = (name) => {
    const v = e[name].value.trim();
    if (v === '') return null;
    if (!/^\d+$/.test(v)) throw { problem: { field: name, detail: 'Enter a whole number.' } };
    return Number(v);
  };
  const permissions = checkedValues(form, 'permissions');
  if (permissions.length) r.permissions = permissions;
  const ips = lines(e.allowed_ips.value);
  if (ips.length) r.allowed_ips = ips;
  const limit = whole('rate_limit');
  const period = whole('rate_period');
  if (limit !== null || period !== null) r.rate_limit = { limit, period_seconds: period };
  const uses = whole('remaining_uses');
  if (uses !== null) r.remaining_uses = uses;
  const refill = whole('refill_amount');
  if (refill !== null) r.refill = { amount: refill, interval: e.refill_interval.value };
  return r;
}

/**
 * The form that creates a key of `a` (editing null) or changes the restrictions of the key
 * `editing` (PATCH: the restrictions it shows replace the key's; all empty clears them).
 */
function keyForm(a, permissions, editing, onSaved, onCancel) {
  const details = editing ? null : h('div', { class: 'form-grid' },
    h('div', {},
      field({ label: 'Key name', name: 'name', required: true, autocomplete: 'off' }),
      field({ label: 'Description', name: 'description' })),
    h('div', {},
      field({ label: 'Type', name: 'type', type: 'select', value: 'read_write',
        options: [{ value: 'read_write', label: 'Read/write' }, { value: 'read_scaling', label: 'Read scaling (read-only replicas)' }] }),
      field({ label: 'Expires', name: 'expiry', type: 'select', value: 'never',
        options: [{ value: 'never', label: 'Never' }, { value: 'days', label: 'After a number of days' }, { value: 'seconds', label: 'After a TTL in seconds' }] }),
      field({ label: 'Days or seconds', name: 'expiry_amount', type: 'number', min: 1,
        help: 'Days: 1–3650. TTL: 1 second to 10 years. Ignored when the key never expires.' })));
  const label = editing ? `Restrict key ${editing.name}` : 'Create key';
  const form = h('form', { class: 'key-form', novalidate: true, 'aria-label': label },
    editing ? h('h3', {}, label) : null,
    details,
    restrictionFields(permissions, editing && editing.restrictions),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button-primary' }, editing ? 'Save restrictions' : 'Create key'),
      onCancel ? h('button', { type: 'button', onclick: onCancel }, 'Cancel') : null));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const e = form.elements;
    let restrictions;
    try {
      restrictions = restrictionsOf(form);
    } catch (err) {
      showErrors(form, err);
      return;
    }
    let body;
    if (editing) {
      body = { restrictions: Object.keys(restrictions).length ? {
        permissions: null, allowed_ips: null, rate_limit: null, remaining_uses: null, refill: null, ...restrictions } : null };
    } else {
      body = { name: e.name.value.trim(), type: e.type.value };
      if (e.description.value.trim()) body.description = e.description.value.trim();
      const amount = e.expiry_amount.value.trim();
      if (e.expiry.value !== 'never') {
        if (!/^\d+$/.test(amount)) {
          showErrors(form, { problem: { field: 'expiry_amount', detail: `Enter the number of ${e.expiry.value} as a whole number.` } });
          return;
        }
        body[e.expiry.value === 'days' ? 'expires_in_days' : 'ttl_seconds'] = Number(amount);
      }
      if (Object.keys(restrictions).length) body.restrictions = restrictions;
    }
    await busy(form, async () => {
      try {
        const saved = editing
          ? await api('PATCH', `${path(a.name)}/keys/${encodeURIComponent(editing.id)}`, body)
          : await api('POST', `${path(a.name)}/keys`, body);
        await onSaved(saved);
      } catch (err) {
        showFieldErrors(form, err, { expires_in_days: 'expiry_amount', ttl_seconds: 'expiry_amount', ttl: 'expiry_amount', token_type: 'type',
          ...RESTRICTION_FIELDS });
      }
    });
  });
  return form;
}

// ------------------------------------------------------------------ client secret, compute, linked users

function renderSecret(section, a) {
  const generate = async () => {
    const ok = await confirmDialog({
      title: `Generate a client secret for ${a.name}?`,
      message: h('p', {}, `The new secret is shown once. If ${a.name} already has a client secret, the old one stops working at once, `
        + 'and so do the access tokens issued with it.'),
      confirmLabel: 'Generate secret', danger: false,
    });
    if (!ok) return;
    try {
      const s = await api('POST', `${path(a.name)}/secret`);
      await secretDialog({ title: `Client secret of ${a.name}`, secret: s.client_secret, extra: [['client_id', s.client_id]] });
    } catch (e) {
      notify('Generating the secret failed: ' + e.message);
    }
  };
  section.replaceChildren(
    h('h2', { id: 'secret-title' }, 'Client secret (OAuth 2.0)'),
    h('p', {}, 'Trade the client_id and a client secret for short-lived access tokens at ', h('code', {}, '/oauth/token'),
      ' (grant type client_credentials).'),
    h('dl', { class: 'facts' }, h('dt', {}, 'client_id'), h('dd', {}, h('code', { id: 'client-id' }, a.id))),
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: generate }, 'Generate client secret')));
}

async function renderCompute(section, a) {
  section.replaceChildren(h('h2', { id: 'compute-title' }, 'Compute settings'), loadingNote());
  let current;
  try {
    current = (await api('GET', `${path(a.name)}/instances`)).config;
  } catch (e) {
    section.replaceChildren(h('h2', { id: 'compute-title' }, 'Compute settings'), errorBox(e));
    return;
  }
  const sizes = h('datalist', { id: 'compute-sizes' }, DEFAULT_SIZES.map((s) => h('option', { value: s })));
  const form = h('form', { class: 'compute-form', novalidate: true, 'aria-label': 'Compute settings' },
    sizes,
    h('div', { class: 'form-grid' },
      field({ label: 'Read/write instance size', name: 'config.read_write.instance_size', value: current.read_write.instance_size,
        list: 'compute-sizes', autocomplete: 'off', help: 'Default sizes: ' + DEFAULT_SIZES.join(', ') + '.' }),
      field({ label: 'Read-scaling instance size', name: 'config.read_scaling.instance_size', value: current.read_scaling.instance_size,
        list: 'compute-sizes', autocomplete: 'off' }),
      field({ label: 'Read-scaling flock size', name: 'config.read_scaling.flock_size', type: 'number', min: 1, max: 16,
        value: current.read_scaling.flock_size, help: '1–16 read replicas.' })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button-primary' }, 'Save compute settings')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const e = form.elements;
    const flock = e['config.read_scaling.flock_size'].value.trim();
    if (!/^\d+$/.test(flock)) {
      showErrors(form, { problem: { field: 'config.read_scaling.flock_size', detail: 'Enter a whole number from 1 to 16.' } });
      return;
    }
    const body = { config: {
      read_write: { instance_size: e['config.read_write.instance_size'].value.trim() },
      read_scaling: { instance_size: e['config.read_scaling.instance_size'].value.trim(), flock_size: Number(flock) },
    } };
    await busy(form, async () => {
      try {
        await api('PUT', `${path(a.name)}/instances`, body);
        notify(`Compute settings of ${a.name} saved.`);
      } catch (err) {
        showErrors(form, err);
      }
    });
  });
  section.replaceChildren(h('h2', { id: 'compute-title' }, 'Compute settings'), form);
}

function renderLinked(section, a) {
  section.replaceChildren(
    h('h2', { id: 'linked-title' }, 'Linked users'),
    a.linked_users.length
      ? h('ul', { class: 'linked-users' }, a.linked_users.map((u) => h('li', {}, u)))
      : h('p', { class: 'empty' }, `No workspace user is linked to ${a.name}.`),
    h('p', { class: 'field-help' }, 'Workspace users are linked to service accounts on the ', h('a', { href: '#/workspaces' }, 'Workspaces'), ' page.'));
}
