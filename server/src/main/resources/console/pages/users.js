// SPDX-License-Identifier: Apache-2.0
// Human users of the organization (never service accounts): list, create, edit, delete.
// #/users lists them; #/users?edit=<username> edits one.
import { api } from '../api.js';
import { whoami } from '../app.js';
import { h, field, clearErrors, table, loading, notify, formatTime, pageHeader, errorBox } from '../ui.js';
import { NAME_HELP, badge, route, statusBadge, fetchAll, showFieldErrors, busy, focusFirst, panel, toggler, formActions, refresher, confirmAndDelete } from '../admin-ui.js';

export async function render(main, params) {
  const editing = params.query ? params.query.get('edit') : null;
  const refresh = refresher(render, main, params);
  loading(main);
  let users;
  let roles;
  let policies;
  try {
    [users, roles, policies] = await Promise.all([
      fetchAll('/v1/users', 'users'),
      fetchAll('/v1/roles', 'roles').then((l) => l.map((x) => x.name)),
      fetchAll('/v1/network-policies', 'network_policies').then((l) => l.map((p) => p.name)),
    ]);
  } catch (err) {
    main.replaceChildren(pageHeader('Users'), errorBox(err));
    return;
  }

  if (editing) {
    const user = users.find((u) => u.username === editing);
    const back = h('a', { href: route('users'), class: 'button button-quiet' }, 'Back to users');
    if (!user) {
      main.replaceChildren(pageHeader('Users', back), errorBox(new Error(`No user named '${editing}'.`)));
      return;
    }
    main.replaceChildren(pageHeader(`Edit user ${user.username}`, back), editForm(user, roles, policies));
    focusFirst(main.querySelector('form'));
    return;
  }

  const create = panel('New user', createForm(roles, policies, refresh));
  main.replaceChildren(
    pageHeader('Users', toggler('New user', create, 'new-user')),
    h('p', { class: 'intro' }, 'People who log in to this console or hold personal API keys. Service accounts are listed on their own page.'),
    create,
    table({
      caption: 'Users',
      columns: [
        { label: 'Username', value: (u) => h('a', { href: route('users', { edit: u.username }) }, u.username) },
        { label: 'E-mail', value: (u) => u.email },
        { label: 'Role', value: (u) => u.role },
        { label: 'Org admin', value: (u) => (u.is_org_admin ? badge('Org admin', 'info') : 'No') },
        { label: 'Status', value: statusBadge },
        { label: 'Created', value: (u) => formatTime(u.created_at) },
        { label: 'Actions', value: (u) => h('div', { class: 'actions' },
          h('a', { href: route('users', { edit: u.username }), class: 'button button-quiet', 'aria-label': `Edit ${u.username}` }, 'Edit'),
          h('button', { type: 'button', class: 'button-danger', 'aria-label': `Delete ${u.username}`, onclick: () => remove(main, u, refresh) }, 'Delete')) },
      ],
      rows: users,
      empty: 'No users yet. Add one with "New user".',
    }));
}

const policyOptions = (policies) => [{ value: '', label: '(none)' }, ...policies];

function createForm(roles, policies, refresh) {
  const form = h('form', { novalidate: true, 'aria-label': 'New user' },
    field({ label: 'Username', name: 'username', required: true, autocomplete: 'off', help: NAME_HELP }),
    field({ label: 'E-mail', name: 'email', type: 'email', required: true, autocomplete: 'off' }),
    field({ label: 'Password', name: 'password', type: 'password', autocomplete: 'new-password', help: 'Leave empty for a user who only uses API keys.' }),
    field({ label: 'Role', name: 'role', type: 'select', value: 'user', options: roles }),
    field({ label: 'Network policy', name: 'network_policy', type: 'select', value: '', options: policyOptions(policies) }),
    field({ label: 'Organization admin', name: 'is_org_admin', type: 'checkbox', help: 'Org admins manage every service account, user and setting.' }),
    formActions('Create user'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const f = form.elements;
    const body = { username: f.username.value.trim(), email: f.email.value.trim(), role: f.role.value, is_org_admin: f.is_org_admin.checked };
    if (f.password.value) body.password = f.password.value;
    if (f.network_policy.value) body.network_policy = f.network_policy.value;
    await busy(form, async () => {
      try {
        await api('POST', '/v1/users', body);
      } catch (err) {
        showFieldErrors(form, err);
        return;
      }
      notify(`User ${body.username} created.`);
      await refresh();
    });
  });
  return form;
}

function editForm(user, roles, policies) {
  const me = whoami();
  const self = me !== null && !me.actor && me.principal.id === user.id;
  const form = h('form', { novalidate: true, 'aria-label': `Edit user ${user.username}` },
    field({ label: 'E-mail', name: 'email', type: 'email', value: user.email, required: true }),
    field({ label: 'New password', name: 'password', type: 'password', autocomplete: 'new-password',
      help: 'Leave empty to keep the current password. A new password ends their console sessions.' }),
    // the API asks users changing their own password or e-mail for the current one
    self && field({ label: 'Current password', name: 'current_password', type: 'password', autocomplete: 'current-password',
      help: 'Needed to change your own password or e-mail.' }),
    field({ label: 'Role', name: 'role', type: 'select', value: user.role, options: roles }),
    field({ label: 'Network policy', name: 'network_policy', type: 'select', value: user.network_policy || '', options: policyOptions(policies) }),
    field({ label: 'Organization admin', name: 'is_org_admin', type: 'checkbox', value: user.is_org_admin }),
    field({ label: 'Disabled', name: 'disabled', type: 'checkbox', value: user.disabled,
      help: 'A disabled user cannot log in, and their keys and sessions stop working.' }),
    formActions('Save changes', h('a', { href: route('users'), class: 'button button-quiet' }, 'Cancel')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const f = form.elements;
    const body = { email: f.email.value.trim(), role: f.role.value };
    // only what changed: the API refuses an admin's removing their own rights even as a no-op
    if (f.is_org_admin.checked !== user.is_org_admin) body.is_org_admin = f.is_org_admin.checked;
    if (f.disabled.checked !== user.disabled) body.disabled = f.disabled.checked;
    if ((f.network_policy.value || null) !== (user.network_policy || null)) body.network_policy = f.network_policy.value || null;
    if (f.password.value) body.password = f.password.value;
    if (self && f.current_password.value) body.current_password = f.current_password.value;
    await busy(form, async () => {
      try {
        await api('PATCH', `/v1/users/${encodeURIComponent(user.username)}`, body);
      } catch (err) {
        showFieldErrors(form, err);
        return;
      }
      notify(`User ${user.username} saved.`);
      window.location.hash = route('users');
    });
  });
  return form;
}

async function remove(main, user, refresh) {
  await confirmAndDelete(main, {
    confirm: {
      title: `Delete user ${user.username}?`,
      message: `${user.username} (${user.email}) will be removed from the organization. Their personal API keys and console sessions stop working at once. This cannot be undone.`,
      confirmLabel: 'Delete user',
    },
    path: `/v1/users/${encodeURIComponent(user.username)}`,
    done: `User ${user.username} deleted.`,
    after: refresh,
  });
}
