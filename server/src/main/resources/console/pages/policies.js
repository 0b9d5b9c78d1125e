// SPDX-License-Identifier: Apache-2.0
// Network policies: allowed and blocked addresses (IPv4/IPv6 or CIDR), attached to the
// organization, to users and to service accounts. #/policies lists them;
// #/policies?edit=<policy> edits one.
import { api } from '../api.js';
import { h, field, clearErrors, table, loading, notify, formatTime, pageHeader, errorBox } from '../ui.js';
import { NAME_HELP, route, fetchAll, showFieldErrors, busy, focusFirst, panel, toggler, formActions, lines, refresher, confirmAndDelete } from '../admin-ui.js';

const LIST_HELP = 'One IPv4 or IPv6 address or CIDR range a line, e.g. 203.0.113.0/24 or 2001:db8::/32.';

export async function render(main, params) {
  const editing = params.query ? params.query.get('edit') : null;
  const refresh = refresher(render, main, params);
  loading(main);
  let policies;
  try {
    policies = await fetchAll('/v1/network-policies', 'network_policies');
  } catch (err) {
    main.replaceChildren(pageHeader('Network policies'), errorBox(err));
    return;
  }

  if (editing) {
    const policy = policies.find((p) => p.name === editing);
    const back = h('a', { href: route('policies'), class: 'button button-quiet' }, 'Back to network policies');
    if (!policy) {
      main.replaceChildren(pageHeader('Network policies', back), errorBox(new Error(`No network policy named '${editing}'.`)));
      return;
    }
    const form = policyForm({ policy, onSaved: (p) => { notify(`Network policy ${p.name} saved.`); window.location.hash = route('policies'); } });
    main.replaceChildren(pageHeader(`Edit network policy ${policy.name}`, back), form);
    focusFirst(form);
    return;
  }

  const create = panel('New network policy', policyForm({ onSaved: async (p) => { notify(`Network policy ${p.name} created.`); await refresh(); } }));
  const addresses = (list) => (list.length ? h('ul', { class: 'chips' }, list.map((ip) => h('li', {}, h('code', {}, ip)))) : '—');
  main.replaceChildren(
    pageHeader('Network policies', toggler('New network policy', create, 'new-policy')),
    h('p', { class: 'intro' }, 'A request is refused when its address matches a blocked entry, or when the allowed list is not empty and it matches none. '
      + 'Attach a policy to the organization (Organization page), to a user or to a service account.'),
    create,
    table({
      caption: 'Network policies',
      columns: [
        { label: 'Name', value: (p) => h('a', { href: route('policies', { edit: p.name }) }, p.name) },
        { label: 'Description', value: (p) => p.description || '—', className: 'wrap' },
        { label: 'Allowed', value: (p) => addresses(p.allowed_ips), className: 'wrap' },
        { label: 'Blocked', value: (p) => addresses(p.blocked_ips), className: 'wrap' },
        { label: 'Updated', value: (p) => formatTime(p.updated_at) },
        { label: 'Actions', value: (p) => h('div', { class: 'actions' },
          h('a', { href: route('policies', { edit: p.name }), class: 'button button-quiet', 'aria-label': `Edit ${p.name}` }, 'Edit'),
          h('button', { type: 'button', class: 'button-danger', 'aria-label': `Delete ${p.name}`, onclick: () => remove(main, p, refresh) }, 'Delete')) },
      ],
      rows: policies,
      empty: 'No network policies yet. Add one with "New network policy".',
    }));
}

function policyForm({ policy, onSaved }) {
  const form = h('form', { novalidate: true, 'aria-label': policy ? `Edit network policy ${policy.name}` : 'New network policy' },
    field({ label: 'Name', name: 'name', value: policy ? policy.name : '', required: true, autocomplete: 'off',
      help: NAME_HELP }),
    field({ label: 'Description', name: 'description', value: policy ? policy.description || '' : '' }),
    field({ label: 'Allowed addresses', name: 'allowed_ips', type: 'textarea', value: policy ? policy.allowed_ips.join('\n') : '',
      help: `${LIST_HELP} Empty: every address not blocked is allowed.` }),
    field({ label: 'Blocked addresses', name: 'blocked_ips', type: 'textarea', value: policy ? policy.blocked_ips.join('\n') : '',
      help: LIST_HELP }),
    formActions(policy ? 'Save changes' : 'Create network policy', policy ? h('a', { href: route('policies'), class: 'button button-quiet' }, 'Cancel') : null));
  form.elements.allowed_ips.rows = 4;
  form.elements.blocked_ips.rows = 4;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const f = form.elements;
    const body = {
      name: f.name.value.trim(),
      description: f.description.value,
      allowed_ips: lines(f.allowed_ips.value),
      blocked_ips: lines(f.blocked_ips.value),
    };
    if (policy && body.name === policy.name) delete body.name;
    await busy(form, async () => {
      let saved;
      try {
        saved = policy
          ? await api('PATCH', `/v1/network-policies/${encodeURIComponent(policy.name)}`, body)
          : await api('POST', '/v1/network-policies', body);
      } catch (err) {
        showFieldErrors(form, err);
        return;
      }
      await onSaved(saved);
    });
  });
  return form;
}

async function remove(main, policy, refresh) {
  await confirmAndDelete(main, {
    confirm: {
      title: `Delete network policy ${policy.name}?`,
      message: `Requests will no longer be checked against '${policy.name}' (${policy.allowed_ips.length} allowed, ${policy.blocked_ips.length} blocked entries). `
        + 'A policy still attached to the organization, a user or a service account cannot be deleted. This cannot be undone.',
      confirmLabel: 'Delete policy',
    },
    path: `/v1/network-policies/${encodeURIComponent(policy.name)}`,
    done: `Network policy ${policy.name} deleted.`,
    after: refresh,
  });
}
