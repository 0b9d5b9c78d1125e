// SPDX-License-Identifier: Apache-2.0
// Organization settings (require groups, token lifetime, network policy), quotas, current
// usage and the credential policy, from GET /v1/org and changed with PATCH /v1/org.
import { api } from '../api.js';
import { h, field, clearErrors, confirmDialog, table, loading, notify, formatTime, pageHeader, errorBox } from '../ui.js';
import { badge, fetchAll, showFieldErrors, busy, panel, formActions, refresher } from '../admin-ui.js';

const QUOTAS = [
  ['max_service_accounts', 'Service accounts', 'How many service accounts the organization may have.'],
  ['max_keys_per_service_account', 'Keys per service account', 'Live API keys one service account may hold.'],
  ['max_keys_per_user', 'Keys per user', 'Live personal API keys one user may hold.'],
];

export async function render(main, params) {
  const refresh = refresher(render, main, params);
  loading(main);
  let org;
  let policies;
  try {
    [org, policies] = await Promise.all([
      api('GET', '/v1/org'),
      fetchAll('/v1/network-policies', 'network_policies').then((l) => l.map((p) => p.name)),
    ]);
  } catch (err) {
    main.replaceChildren(pageHeader('Organization'), errorBox(err));
    return;
  }
  main.replaceChildren(
    pageHeader(`Organization ${org.name}`),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Name'), h('dd', {}, org.name),
      h('dt', {}, 'ID'), h('dd', {}, h('code', {}, org.id)),
      h('dt', {}, 'Created'), h('dd', {}, formatTime(org.created_at))),
    panel('Usage', usageTable(org)),
    panel('Settings and quotas', settingsForm(org, policies, refresh)),
    panel('Credential policy', policyFacts(org.credential_policy || {}), policyForm(org.credential_policy || {}, refresh)));
}

/** The credential policy in plain words. */
function policyFacts(p) {
  const days = (n) => (n === 1 ? '1 day' : `${n} days`);
  return h('dl', { class: 'facts policy-facts', 'aria-label': 'Credential policy in effect' },
    h('dt', {}, 'Key lifetime'),
    h('dd', {}, p.max_key_lifetime_days ? `Keys may live at most ${days(p.max_key_lifetime_days)}` : 'Keys may live forever: no limit'),
    h('dt', {}, 'Unused keys'),
    h('dd', {}, p.dormant_after_days ? `Unused keys are revoked after ${days(p.dormant_after_days)}` : 'Unused keys are never revoked'),
    h('dt', {}, 'Leaked keys'),
    h('dd', {}, p.on_leak === 'notify' ? 'A leaked key is only reported' : 'A leaked key is revoked'),
    h('dt', {}, 'Network policy'),
    h('dd', {}, `Every service account needs a network policy: ${p.require_network_policy ? 'yes' : 'no'}`));
}

/** Sends only the members that changed; an emptied number field removes that limit (null). */
function policyForm(p, refresh) {
  const form = h('form', { novalidate: true, 'aria-label': 'Credential policy' },
    field({ label: 'Maximum key lifetime (days)', name: 'max_key_lifetime_days', type: 'number', min: '1', max: '3650',
      value: p.max_key_lifetime_days, help: '1–3650. Empty: no limit. New keys that would live longer, or never expire, are refused; existing keys are kept.' }),
    field({ label: 'Revoke unused keys after (days)', name: 'dormant_after_days', type: 'number', min: '1', max: '3650',
      value: p.dormant_after_days, help: '1–3650. Empty: unused keys are never revoked.' }),
    field({ label: 'When a key leaks', name: 'on_leak', type: 'select', value: p.on_leak || 'revoke',
      options: [{ value: 'revoke', label: 'Revoke it' }, { value: 'notify', label: 'Only report it' }] }),
    field({ label: 'Every service account needs a network policy', name: 'require_network_policy', type: 'checkbox',
      value: p.require_network_policy,
      help: "A service account with neither its own nor the organization's network policy cannot authenticate. Users are not affected." }),
    formActions('Save credential policy'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const f = form.elements;
    const policy = {};
    for (const name of ['max_key_lifetime_days', 'dormant_after_days']) {
      const v = f[name].value.trim() === '' ? null : numberOrText(f[name].value);
      if (v !== (p[name] ?? null)) policy[name] = v;
    }
    if (f.on_leak.value !== (p.on_leak || 'revoke')) policy.on_leak = f.on_leak.value;
    if (f.require_network_policy.checked !== !!p.require_network_policy) policy.require_network_policy = f.require_network_policy.checked;
    if (Object.keys(policy).length === 0) {
      notify('Nothing to save: the credential policy did not change.');
      return;
    }
    await busy(form, async () => {
      try {
        await api('PATCH', '/v1/org', { credential_policy: policy });
      } catch (err) {
        showFieldErrors(form, err);
        return;
      }
      notify('Credential policy saved.');
      await refresh();
    });
  });
  return form;
}

function usageTable(org) {
  const u = org.usage || {};
  const q = org.quotas || {};
  const rows = [
    { what: 'Service accounts', used: u.service_accounts, limit: q.max_service_accounts },
    { what: 'Users', used: u.users },
    { what: 'Live API keys', used: u.live_keys,
      note: `at most ${q.max_keys_per_service_account} per service account, ${q.max_keys_per_user} per user` },
    { what: 'Access tokens issued this month', used: u.token_grants_this_month },
    { what: 'Verifications this month', used: u.verifications_this_month },
  ];
  return table({
    caption: 'Usage',
    columns: [
      { label: 'Resource', value: (r) => r.what },
      { label: 'In use', value: (r) => String(r.used ?? 0), className: 'num' },
      { label: 'Quota', value: (r) => quotaCell(r) },
    ],
    rows,
  });
}

function quotaCell(r) {
  if (r.limit === undefined || r.limit === null) return r.note || 'No quota';
  const used = Number(r.used || 0);
  const share = r.limit > 0 ? used / r.limit : 1;
  const meter = h('meter', { min: '0', max: String(r.limit), value: String(used), high: String(Math.floor(r.limit * 0.8)),
    optimum: '0', 'aria-label': `${r.what}: ${used} of ${r.limit}` });
  return h('span', { class: 'quota' }, `${used} of ${r.limit} `, meter,
    share >= 1 ? [' ', badge('Full', 'off')] : share >= 0.8 ? [' ', badge('Nearly full', 'warn')] : null);
}

function settingsForm(org, policies, refresh) {
  const q = org.quotas || {};
  const form = h('form', { novalidate: true, 'aria-label': 'Organization settings' },
    field({ label: 'Service accounts must be in a group', name: 'service_accounts_require_group', type: 'checkbox',
      value: org.service_accounts_require_group,
      help: 'When on, every service account needs at least one group, and its permissions come from its groups only (a role given directly is ignored).' }),
    field({ label: 'Access token lifetime (seconds)', name: 'access_token_lifetime_seconds', type: 'number', min: '60',
      value: org.access_token_lifetime_seconds, help: 'How long a token from /oauth/token stays valid. Default 86400 (one day).' }),
    field({ label: 'Organization network policy', name: 'network_policy', type: 'select', value: org.network_policy || '',
      options: [{ value: '', label: '(none)' }, ...policies], help: 'Checked on every request of the organization.' }),
    h('fieldset', { class: 'field-set' }, h('legend', {}, 'Quotas'),
      QUOTAS.map(([name, label, help]) => field({ label, name, type: 'number', min: '1', value: q[name], help }))),
    formActions('Save settings'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const f = form.elements;
    const body = { quotas: {} };
    const requireGroup = f.service_accounts_require_group.checked;
    if (requireGroup !== org.service_accounts_require_group) body.service_accounts_require_group = requireGroup;
    const lifetime = numberOrText(f.access_token_lifetime_seconds.value);
    if (lifetime !== org.access_token_lifetime_seconds) body.access_token_lifetime_seconds = lifetime;
    if ((f.network_policy.value || null) !== (org.network_policy || null)) body.network_policy = f.network_policy.value || null;
    for (const [name] of QUOTAS) {
      const v = numberOrText(f[name].value);
      if (v !== q[name]) body.quotas[name] = v;
    }
    if (Object.keys(body.quotas).length === 0) delete body.quotas;
    if (Object.keys(body).length === 0) {
      notify('Nothing to save: no setting changed.');
      return;
    }
    if (body.service_accounts_require_group === true && !(await confirmRequireGroup())) return;
    await busy(form, async () => {
      try {
        await api('PATCH', '/v1/org', body);
      } catch (err) {
        showFieldErrors(form, err);
        return;
      }
      notify('Organization settings saved.');
      await refresh();
    });
  });
  return form;
}

/** A whole number as a number; anything else as typed, so the API names the field at fault. */
function numberOrText(value) {
  const s = String(value).trim();
  return /^-?\d+$/.test(s) ? Number(s) : s;
}

async function confirmRequireGroup() {
  let without = null;
  try {
    const accounts = await fetchAll('/v1/service-accounts', 'service_accounts');
    without = accounts.filter((a) => !a.groups || a.groups.length === 0).map((a) => a.name);
  } catch (e) {
    // the count is a courtesy; the question is asked anyway
  }
  const who = without === null ? ''
    : without.length === 0 ? ' Every service account is already in a group.'
      : ` ${without.length} service account${without.length === 1 ? ' is' : 's are'} in no group (${without.slice(0, 5).join(', ')}${without.length > 5 ? ', …' : ''}) and will hold no role permissions until added to one.`;
  return confirmDialog({
    title: 'Require a group for every service account?',
    message: `Roles given directly to service accounts stop counting; only their groups' roles do.${who}`,
    confirmLabel: 'Require groups',
    danger: false,
  });
}
