// SPDX-License-Identifier: Apache-2.0
// The service-account form, shared by "New service account" (#/accounts) and "Edit" (#/accounts/<name>).
import { api } from './api.js';
import { busy, checkedValues, fetchAll, NAME_HELP } from './admin-ui.js';
import { clearErrors, field, h, showErrors } from './ui.js';

/** Roles, groups, network policies and the organization's group rule: what the form offers. */
export async function loadChoices() {
  const [roles, groups, policies, org] = await Promise.all([
    fetchAll('/v1/roles', 'roles'),
    fetchAll('/v1/groups', 'groups'),
    fetchAll('/v1/network-policies', 'network_policies'),
    api('GET', '/v1/org'),
  ]);
  return {
    roles: roles.map((r) => r.name),
    groups: groups.map((g) => g.name),
    policies: policies.map((p) => p.name),
    requireGroup: !!org.service_accounts_require_group,
  };
}

/**
 * A form for a new (account undefined) or existing service account. onSave(body) is called with
 * the API body and may throw an ApiError, which is shown next to its field. onCancel: optional.
 */
export function accountForm({ account, choices, onSave, onCancel }) {
  const editing = !!account;
  const a = account || { role: 'user', groups: [], network_policy: null, is_org_admin: false, description: '' };
  const form = h('form', { class: 'card account-form', novalidate: true, 'aria-label': editing ? 'Edit service account' : 'New service account' },
    h('h2', {}, editing ? 'Edit service account' : 'New service account'),
    h('div', { class: 'form-grid' },
      h('div', {},
        field({ label: 'Name', name: 'name', value: a.name, required: true, autocomplete: 'off',
          help: NAME_HELP }),
        field({ label: 'Description', name: 'description', type: 'textarea', value: a.description || '' }),
        field({ label: 'Role', name: 'role', type: 'select', value: a.role || 'user', options: choices.roles,
          help: choices.requireGroup ? 'Your organization requires a group: a direct role is ignored for service accounts.' : null })),
      h('div', {},
        field({ label: 'Groups', name: 'groups', type: 'checkboxes', value: a.groups || [], options: choices.groups,
          help: choices.requireGroup ? 'At least one group is required in your organization.' : 'The account gets the roles of its groups too.' }),
        field({ label: 'Network policy', name: 'network_policy', type: 'select', value: a.network_policy || '',
          options: [{ value: '', label: 'None (the organization\'s policy applies)' }, ...choices.policies] }),
        field({ label: 'Organization admin', name: 'is_org_admin', type: 'checkbox', value: a.is_org_admin,
          help: 'An org admin may manage every service account, user, group, role and policy.' }))),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button-primary' }, editing ? 'Save changes' : 'Create service account'),
      onCancel ? h('button', { type: 'button', class: 'button-quiet', onclick: onCancel }, 'Cancel') : null));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const body = read(form);
    if (editing) {
      if (body.name === account.name) delete body.name;
      if (!body.network_policy) body.network_policy = null;
    } else if (!body.network_policy) {
      delete body.network_policy;
    }
    await busy(form, async () => {
      try {
        await onSave(body);
      } catch (e) {
        showErrors(form, e);
      }
    });
  });
  return form;
}

function read(form) {
  const e = form.elements;
  return {
    name: e.name.value.trim(),
    description: e.description.value,
    role: e.role.value,
    groups: checkedValues(form, 'groups'),
    network_policy: e.network_policy.value,
    is_org_admin: e.is_org_admin.checked,
  };
}
