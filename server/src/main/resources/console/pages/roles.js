// SPDX-License-Identifier: Apache-2.0
// Roles: the built-in ones read-only; custom roles created, edited (description,
// permissions) and deleted. #/roles lists them; #/roles?edit=<role> edits a custom one.
import { api } from '../api.js';
import { h, field, clearErrors, table, loading, notify, pageHeader, errorBox } from '../ui.js';
import { NAME_HELP, badge, route, fetchAll, showFieldErrors, busy, focusFirst, panel, toggler, formActions, lines, refresher, confirmAndDelete } from '../admin-ui.js';

const PERMISSION_HELP = 'One permission a line, e.g. models:read, inference:*, *:read. '
  + 'Letters, digits and _ . : * - only.';

export async function render(main, params) {
  const editing = params.query ? params.query.get('edit') : null;
  const refresh = refresher(render, main, params);
  loading(main);
  let roles;
  try {
    roles = await fetchAll('/v1/roles', 'roles');
  } catch (err) {
    main.replaceChildren(pageHeader('Roles'), errorBox(err));
    return;
  }

  if (editing) {
    const role = roles.find((r) => r.name === editing);
    const back = h('a', { href: route('roles'), class: 'button button-quiet' }, 'Back to roles');
    if (!role || role.built_in) {
      const why = role ? `'${editing}' is a built-in role and cannot change.` : `No role named '${editing}'.`;
      main.replaceChildren(pageHeader('Roles', back), errorBox(new Error(why)));
      return;
    }
    const form = roleForm({ role, onSaved: () => { notify(`Role ${role.name} saved.`); window.location.hash = route('roles'); } });
    main.replaceChildren(pageHeader(`Edit role ${role.name}`, back), form);
    focusFirst(form);
    return;
  }

  const builtIn = roles.filter((r) => r.built_in);
  const custom = roles.filter((r) => !r.built_in);
  const create = panel('New role', roleForm({ onSaved: async (r) => { notify(`Role ${r.name} created.`); await refresh(); } }));
  const permissions = (r) => (r.permissions.length
    ? h('ul', { class: 'chips', 'aria-label': `Permissions of ${r.name}` }, r.permissions.map((p) => h('li', {}, h('code', {}, p))))
    : '—');
  main.replaceChildren(
    pageHeader('Roles', toggler('New role', create, 'new-role')),
    h('p', { class: 'intro' }, 'A role is a named set of permissions. Service accounts and users hold one directly; groups grant several.'),
    create,
    h('h2', {}, 'Custom roles'),
    table({
      caption: 'Custom roles',
      columns: [
        { label: 'Name', value: (r) => h('a', { href: route('roles', { edit: r.name }) }, r.name) },
        { label: 'Description', value: (r) => r.description || '—', className: 'wrap' },
        { label: 'Permissions', value: permissions, className: 'wrap' },
        { label: 'Actions', value: (r) => h('div', { class: 'actions' },
          h('a', { href: route('roles', { edit: r.name }), class: 'button button-quiet', 'aria-label': `Edit ${r.name}` }, 'Edit'),
          h('button', { type: 'button', class: 'button-danger', 'aria-label': `Delete ${r.name}`, onclick: () => remove(main, r, refresh) }, 'Delete')) },
      ],
      rows: custom,
      empty: 'No custom roles yet. Add one with "New role".',
    }),
    h('h2', {}, 'Built-in roles'),
    table({
      caption: 'Built-in roles',
      columns: [
        { label: 'Name', value: (r) => h('span', {}, r.name, ' ', badge('Built-in', 'muted')) },
        { label: 'Description', value: (r) => r.description || '—', className: 'wrap' },
        { label: 'Permissions', value: permissions, className: 'wrap' },
      ],
      rows: builtIn,
      empty: 'No built-in roles.',
    }));
}

function roleForm({ role, onSaved }) {
  const form = h('form', { novalidate: true, 'aria-label': role ? `Edit role ${role.name}` : 'New role' },
    role ? null : field({ label: 'Name', name: 'name', required: true, autocomplete: 'off',
      help: `${NAME_HELP} Built-in names cannot be reused.` }),
    field({ label: 'Description', name: 'description', value: role ? role.description || '' : '' }),
    field({ label: 'Permissions', name: 'permissions', type: 'textarea', value: role ? role.permissions.join('\n') : '',
      required: true, help: PERMISSION_HELP }),
    formActions(role ? 'Save changes' : 'Create role', role ? h('a', { href: route('roles'), class: 'button button-quiet' }, 'Cancel') : null));
  form.elements.permissions.rows = 5;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const f = form.elements;
    const body = { description: f.description.value, permissions: lines(f.permissions.value) };
    await busy(form, async () => {
      let saved;
      try {
        saved = role
          ? await api('PATCH', `/v1/roles/${encodeURIComponent(role.name)}`, body)
          : await api('POST', '/v1/roles', { name: f.name.value.trim(), ...body });
      } catch (err) {
        showFieldErrors(form, err);
        return;
      }
      await onSaved(saved);
    });
  });
  return form;
}

async function remove(main, role, refresh) {
  await confirmAndDelete(main, {
    confirm: {
      title: `Delete role ${role.name}?`,
      message: `The permissions ${role.permissions.join(', ') || '(none)'} are no longer granted through '${role.name}'. `
        + 'A role still held by a service account, a user or a group cannot be deleted. This cannot be undone.',
      confirmLabel: 'Delete role',
    },
    path: `/v1/roles/${encodeURIComponent(role.name)}`,
    done: `Role ${role.name} deleted.`,
    after: refresh,
  });
}
