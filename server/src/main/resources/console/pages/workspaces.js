// SPDX-License-Identifier: Apache-2.0
// Workspaces and their users, each user linked to at most one service account (Firebolt).
// #/workspaces lists them; #/workspaces?name=<ws> shows a workspace's users;
// #/workspaces?name=<ws>&user=<user> edits one of them.
import { api } from '../api.js';
import { h, field, clearErrors, table, loading, notify, formatTime, pageHeader, errorBox } from '../ui.js';
import { NAME_HELP, badge, route, fetchAll, showFieldErrors, pageError, busy, focusFirst, panel, toggler, formActions, refresher, confirmAndDelete } from '../admin-ui.js';

const enc = encodeURIComponent;

export async function render(main, params) {
  const name = params.query ? params.query.get('name') : null;
  const user = params.query ? params.query.get('user') : null;
  loading(main);
  if (name && user) return renderUser(main, name, user);
  if (name) return renderWorkspace(main, params, name);

  const refresh = refresher(render, main, params);
  let workspaces;
  try {
    workspaces = await fetchAll('/v1/workspaces', 'workspaces');
  } catch (err) {
    main.replaceChildren(pageHeader('Workspaces'), errorBox(err));
    return;
  }
  const form = h('form', { novalidate: true, 'aria-label': 'New workspace' },
    field({ label: 'Name', name: 'name', required: true, autocomplete: 'off', help: NAME_HELP }),
    formActions('Create workspace'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const body = { name: form.elements.name.value.trim() };
    await busy(form, async () => {
      try {
        await api('POST', '/v1/workspaces', body);
      } catch (err) {
        showFieldErrors(form, err);
        return;
      }
      notify(`Workspace ${body.name} created.`);
      await refresh();
    });
  });
  const create = panel('New workspace', form);
  main.replaceChildren(
    pageHeader('Workspaces', toggler('New workspace', create, 'new-workspace')),
    h('p', { class: 'intro' }, 'A workspace has its own users; each can be linked to one service account, which then acts as that user there.'),
    create,
    table({
      caption: 'Workspaces',
      columns: [
        { label: 'Name', value: (w) => h('span', {}, h('a', { href: route('workspaces', { name: w.name }) }, w.name),
          w.name === 'default' ? [' ', badge('Default', 'muted')] : null) },
        { label: 'Created', value: (w) => formatTime(w.created_at) },
        { label: 'Actions', value: (w) => h('div', { class: 'actions' },
          h('a', { href: route('workspaces', { name: w.name }), class: 'button button-quiet', 'aria-label': `Users of ${w.name}` }, 'Users'),
          w.name === 'default' ? null
            : h('button', { type: 'button', class: 'button-danger', 'aria-label': `Delete ${w.name}`, onclick: () => removeWorkspace(main, w, refresh) }, 'Delete')) },
      ],
      rows: workspaces,
      empty: 'No workspaces yet. Add one with "New workspace".',
    }));
}

async function renderWorkspace(main, params, name) {
  const refresh = refresher(render, main, params);
  const back = h('a', { href: route('workspaces'), class: 'button button-quiet' }, 'Back to workspaces');
  let users;
  let linkable;
  try {
    [users, linkable] = await Promise.all([
      fetchAll(`/v1/workspaces/${enc(name)}/users`, 'users'),
      fetchAll(`/v1/service-accounts?unlinked_in=${enc(name)}`, 'service_accounts').then((l) => l.map((a) => a.name)),
    ]);
  } catch (err) {
    main.replaceChildren(pageHeader(`Workspace ${name}`, back), errorBox(err));
    return;
  }
  const form = userForm({
    workspace: name,
    linkable,
    onSaved: async (u) => { notify(`User ${u.name} added to ${name}.`); await refresh(); },
  });
  const create = panel('New workspace user', form);
  main.replaceChildren(
    pageHeader(`Workspace ${name}`, back, toggler('New workspace user', create, 'new-workspace-user')),
    create,
    table({
      caption: `Users of workspace ${name}`,
      columns: [
        { label: 'User', value: (u) => h('a', { href: route('workspaces', { name, user: u.name }) }, u.name) },
        { label: 'Service account', value: (u) => (u.service_account
          ? h('a', { href: `#/accounts/${enc(u.service_account)}` }, u.service_account) : '—') },
        { label: 'Login', value: (u) => u.login || '—' },
        { label: 'Default database', value: (u) => u.default_database || '—' },
        { label: 'Default engine', value: (u) => u.default_engine || '—' },
        { label: 'Actions', value: (u) => h('div', { class: 'actions' },
          h('a', { href: route('workspaces', { name, user: u.name }), class: 'button button-quiet', 'aria-label': `Edit ${u.name}` }, 'Edit'),
          h('button', { type: 'button', class: 'button-danger', 'aria-label': `Delete ${u.name}`, onclick: () => removeUser(main, name, u, refresh) }, 'Delete')) },
      ],
      rows: users,
      empty: 'This workspace has no users yet. Add one with "New workspace user".',
    }));
}

async function renderUser(main, workspace, name) {
  const back = h('a', { href: route('workspaces', { name: workspace }), class: 'button button-quiet' }, `Back to ${workspace}`);
  let user;
  let linkable;
  try {
    [user, linkable] = await Promise.all([
      api('GET', `/v1/workspaces/${enc(workspace)}/users/${enc(name)}`),
      fetchAll(`/v1/service-accounts?unlinked_in=${enc(workspace)}`, 'service_accounts').then((l) => l.map((a) => a.name)),
    ]);
  } catch (err) {
    main.replaceChildren(pageHeader(`Workspace ${workspace}`, back), errorBox(err));
    return;
  }
  if (user.service_account && !linkable.includes(user.service_account)) linkable.unshift(user.service_account);
  const form = userForm({
    workspace,
    user,
    linkable,
    onSaved: () => { notify(`User ${name} saved.`); window.location.hash = route('workspaces', { name: workspace }); },
  });
  main.replaceChildren(pageHeader(`Edit ${name} in ${workspace}`, back), form);
  focusFirst(form);
}

function userForm({ workspace, user, linkable, onSaved }) {
  const accounts = [{ value: '', label: '(not linked)' }, ...linkable];
  const form = h('form', { novalidate: true, 'aria-label': user ? `Edit workspace user ${user.name}` : 'New workspace user' },
    user ? null : field({ label: 'User name', name: 'name', required: true, autocomplete: 'off',
      help: NAME_HELP }),
    field({ label: 'Service account', name: 'service_account', type: 'select', value: user ? user.service_account || '' : '', options: accounts,
      help: 'A service account is linked to at most one user per workspace.' }),
    field({ label: 'Login', name: 'login', value: user ? user.login || '' : '', autocomplete: 'off' }),
    field({ label: 'Default database', name: 'default_database', value: user ? user.default_database || '' : '' }),
    field({ label: 'Default engine', name: 'default_engine', value: user ? user.default_engine || '' : '' }),
    formActions(user ? 'Save changes' : 'Add user',
      user ? h('a', { href: route('workspaces', { name: workspace }), class: 'button button-quiet' }, 'Cancel') : null));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const f = form.elements;
    const body = {};
    for (const k of ['login', 'default_database', 'default_engine']) if (f[k].value.trim()) body[k] = f[k].value.trim();
    const sa = f.service_account.value || null;
    await busy(form, async () => {
      let saved;
      try {
        if (user) {
          if (sa !== (user.service_account || null)) body.service_account = sa;
          saved = await api('PATCH', `/v1/workspaces/${enc(workspace)}/users/${enc(user.name)}`, body);
        } else {
          if (sa) body.service_account = sa;
          saved = await api('POST', `/v1/workspaces/${enc(workspace)}/users`, { name: f.name.value.trim(), ...body });
        }
      } catch (err) {
        showFieldErrors(form, err);
        return;
      }
      await onSaved(saved);
    });
  });
  return form;
}

async function removeWorkspace(main, workspace, refresh) {
  let users = [];
  try {
    users = await fetchAll(`/v1/workspaces/${enc(workspace.name)}/users`, 'users');
  } catch (err) {
    pageError(main, err);
    return;
  }
  if (users.length) {
    const names = users.slice(0, 5).map((u) => u.name).join(', ') + (users.length > 5 ? ', …' : '');
    pageError(main, new Error(`Workspace ${workspace.name} still has ${users.length} user${users.length === 1 ? '' : 's'} (${names}): delete them first.`));
    return;
  }
  await confirmAndDelete(main, {
    confirm: {
      title: `Delete workspace ${workspace.name}?`,
      message: `The empty workspace ${workspace.name} will be removed. This cannot be undone.`,
      confirmLabel: 'Delete workspace',
    },
    path: `/v1/workspaces/${enc(workspace.name)}`,
    done: `Workspace ${workspace.name} deleted.`,
    after: refresh,
  });
}

async function removeUser(main, workspace, user, refresh) {
  const linked = user.service_account ? ` Service account ${user.service_account} is no longer linked in ${workspace}.` : '';
  await confirmAndDelete(main, {
    confirm: {
      title: `Delete user ${user.name} from ${workspace}?`,
      message: `${user.name} will be removed from workspace ${workspace}.${linked} This cannot be undone.`,
      confirmLabel: 'Delete user',
    },
    path: `/v1/workspaces/${enc(workspace)}/users/${enc(user.name)}`,
    done: `User ${user.name} deleted from ${workspace}.`,
    after: refresh,
  });
}
