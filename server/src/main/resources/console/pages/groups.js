// SPDX-License-Identifier: Apache-2.0
// Permission groups: list, create, edit (name, description, roles), delete; a group's page
// shows its roles and its members (the service accounts in it).
// #/groups lists them; #/groups?name=<group> shows and edits one.
import { api } from '../api.js';
import { h, field, clearErrors, table, loading, notify, formatTime, pageHeader, errorBox } from '../ui.js';
import { NAME_HELP, route, statusBadge, fetchAll, showFieldErrors, pageError, busy, focusFirst, panel, toggler, formActions, checkedValues, listText, refresher, confirmAndDelete } from '../admin-ui.js';

export async function render(main, params) {
  const name = params.query ? params.query.get('name') : null;
  loading(main);
  let groups;
  let roles;
  try {
    [groups, roles] = await Promise.all([
      fetchAll('/v1/groups', 'groups'),
      fetchAll('/v1/roles', 'roles'),
    ]);
  } catch (err) {
    main.replaceChildren(pageHeader('Groups'), errorBox(err));
    return;
  }
  if (name) return renderGroup(main, params, groups.find((g) => g.name === name), name, roles);

  const refresh = refresher(render, main, params);
  const create = panel('New group', groupForm({ roles, onSaved: async (g) => { notify(`Group ${g.name} created.`); await refresh(); } }));
  main.replaceChildren(
    pageHeader('Groups', toggler('New group', create, 'new-group')),
    h('p', { class: 'intro' }, 'A group grants its roles to every service account in it. Open a group to see its members.'),
    create,
    table({
      caption: 'Groups',
      columns: [
        { label: 'Name', value: (g) => h('a', { href: route('groups', { name: g.name }) }, g.name) },
        { label: 'Description', value: (g) => g.description || '—', className: 'wrap' },
        { label: 'Roles', value: (g) => listText(g.roles), className: 'wrap' },
        { label: 'Created', value: (g) => formatTime(g.created_at) },
        { label: 'Actions', value: (g) => h('div', { class: 'actions' },
          h('a', { href: route('groups', { name: g.name }), class: 'button button-quiet', 'aria-label': `Open ${g.name}` }, 'Open'),
          h('button', { type: 'button', class: 'button-danger', 'aria-label': `Delete ${g.name}`, onclick: () => remove(main, g, refresh) }, 'Delete')) },
      ],
      rows: groups,
      empty: 'No groups yet. Add one with "New group".',
    }));
}

async function renderGroup(main, params, group, name, roles) {
  const back = h('a', { href: route('groups'), class: 'button button-quiet' }, 'Back to groups');
  if (!group) {
    main.replaceChildren(pageHeader('Groups', back), errorBox(new Error(`No group named '${name}'.`)));
    return;
  }
  let members;
  try {
    members = await fetchAll(`/v1/service-accounts?group=${encodeURIComponent(group.name)}`, 'service_accounts');
  } catch (err) {
    main.replaceChildren(pageHeader(`Group ${group.name}`, back), errorBox(err));
    return;
  }
  const form = groupForm({
    roles,
    group,
    onSaved: (g) => {
      notify(`Group ${g.name} saved.`);
      window.location.hash = route('groups', { name: g.name });
      if (g.name === group.name) render(main, params);
    },
  });
  const removeButton = h('button', { type: 'button', class: 'button-danger', onclick: () => remove(main, group, () => { window.location.hash = route('groups'); }) }, 'Delete group');
  main.replaceChildren(
    pageHeader(`Group ${group.name}`, back, removeButton),
    h('div', { class: 'columns' },
      panel('Roles and details', form),
      panel(`Members (${members.length})`,
      h('p', { class: 'intro' }, 'Service accounts join and leave a group on their own page.'),
      table({
        caption: `Members of ${group.name}`,
        columns: [
          { label: 'Service account', value: (a) => h('a', { href: `#/accounts/${encodeURIComponent(a.name)}` }, a.name) },
          { label: 'E-mail', value: (a) => a.email },
          { label: 'Role', value: (a) => a.role },
          { label: 'Status', value: statusBadge },
        ],
        rows: members,
        empty: 'No service accounts are in this group.',
      }))));
  focusFirst(form);
}

function groupForm({ roles, group, onSaved }) {
  const form = h('form', { novalidate: true, 'aria-label': group ? `Edit group ${group.name}` : 'New group' },
    field({ label: 'Name', name: 'name', value: group ? group.name : '', required: true, autocomplete: 'off',
      help: NAME_HELP }),
    field({ label: 'Description', name: 'description', value: group ? group.description || '' : '' }),
    field({ label: 'Roles', name: 'roles', type: 'checkboxes', value: group ? group.roles : [],
      options: roles.map((r) => ({ value: r.name, label: r.built_in ? `${r.name} (built-in)` : r.name })),
      help: 'Every member holds the permissions of these roles.' }),
    formActions(group ? 'Save changes' : 'Create group'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const f = form.elements;
    const body = { name: f.name.value.trim(), description: f.description.value, roles: checkedValues(form, 'roles') };
    if (group && body.name === group.name) delete body.name;
    await busy(form, async () => {
      let saved;
      try {
        saved = group
          ? await api('PATCH', `/v1/groups/${encodeURIComponent(group.name)}`, body)
          : await api('POST', '/v1/groups', body);
      } catch (err) {
        showFieldErrors(form, err);
        return;
      }
      await onSaved(saved);
    });
  });
  return form;
}

async function remove(main, group, after) {
  let members = [];
  try {
    members = await fetchAll(`/v1/service-accounts?group=${encodeURIComponent(group.name)}`, 'service_accounts');
  } catch (err) {
    pageError(main, err);
    return;
  }
  const who = members.length === 0 ? 'No service account is in it.'
    : `${members.length} service account${members.length === 1 ? '' : 's'} (${members.slice(0, 5).map((a) => a.name).join(', ')}${members.length > 5 ? ', …' : ''}) will lose the roles it grants.`;
  await confirmAndDelete(main, {
    confirm: {
      title: `Delete group ${group.name}?`,
      message: `${who} This cannot be undone.`,
      confirmLabel: 'Delete group',
    },
    path: `/v1/groups/${encodeURIComponent(group.name)}`,
    done: `Group ${group.name} deleted.`,
    after: after,
  });
}
