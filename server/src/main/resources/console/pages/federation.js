// SPDX-License-Identifier: Apache-2.0
// #/federation: the organization's federation issuers (api.md "Keyless service accounts"):
// whose identity tokens (GitHub Actions, GitLab, Kubernetes, SPIFFE, ...) service accounts may
// accept instead of a secret. Org admins only; the accounts' credentials are on each account's page.
import { api } from '../api.js';
import { h, field, clearErrors, table, loading, notify, formatTime, pageHeader, errorBox } from '../ui.js';
import { busy, confirmAndDelete, fetchAll, formActions, NAME_HELP, panel, refresher, showFieldErrors, toggler, badge } from '../admin-ui.js';

const path = (name) => `/v1/federation/issuers/${encodeURIComponent(name)}`;

export async function render(main, params) {
  const refresh = refresher(render, main, params);
  loading(main);
  let issuers;
  try {
    issuers = await fetchAll('/v1/federation/issuers', 'issuers');
  } catch (err) {
    main.replaceChildren(pageHeader('Federation issuers'), errorBox(err));
    return;
  }
  const create = panel('New issuer', issuerForm(async (created) => {
    notify(`Issuer ${created.name} created.`);
    await refresh();
  }));
  main.replaceChildren(
    pageHeader('Federation issuers', toggler('New issuer', create, 'new-issuer')),
    h('p', { class: 'intro' }, 'A workload that holds a token signed by one of these issuers can trade it for an access token of a '
      + 'service account that accepts it (its "Workload identities"), with no secret stored anywhere. '
      + 'Platform guides: docs/federation.md.'),
    create,
    table({
      caption: 'Federation issuers',
      columns: [
        { label: 'Name', value: (i) => i.name },
        { label: 'Issuer URL (iss)', value: (i) => h('code', { class: 'wrap' }, i.issuer_url), className: 'wrap' },
        { label: 'Keys', value: keysOf, className: 'wrap' },
        { label: 'Max token age', value: (i) => `${i.max_token_age_seconds} s` },
        { label: 'jti once', value: (i) => (i.require_jti ? badge('Required', 'ok') : 'No') },
        { label: 'Created', value: (i) => formatTime(i.created_at) },
        { label: 'Actions', value: (i) => h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'button-danger', 'aria-label': `Delete issuer ${i.name}`, onclick: () => confirmAndDelete(main, {
            confirm: { title: `Delete issuer ${i.name}?`, confirmLabel: 'Delete issuer',
              message: `Tokens of ${i.issuer_url} can no longer be exchanged. An issuer that workload identities still use cannot be deleted.` },
            path: path(i.name), done: `Issuer ${i.name} deleted.`, after: refresh }) }, 'Delete')) },
      ],
      rows: issuers,
      empty: 'No federation issuers yet. Add one with "New issuer".',
    }));
}

function keysOf(i) {
  if (i.jwks) return badge('Inline JWKS', 'muted');
  return i.jwks_uri ? h('code', { class: 'wrap' }, i.jwks_uri) : 'From discovery';
}

function issuerForm(onCreated) {
  const form = h('form', { novalidate: true, 'aria-label': 'New issuer' },
    h('div', { class: 'form-grid' },
      h('div', {},
        field({ label: 'Name', name: 'name', required: true, autocomplete: 'off', help: NAME_HELP }),
        field({ label: 'Issuer URL', name: 'issuer_url', type: 'url', required: true, autocomplete: 'off',
          placeholder: 'https://token.actions.githubusercontent.com', help: 'Exactly the iss of the tokens.' }),
        field({ label: 'JWKS URI', name: 'jwks_uri', type: 'url', autocomplete: 'off',
          help: 'Leave empty to find the keys through the issuer\'s discovery document.' })),
      h('div', {},
        field({ label: 'Inline JWKS', name: 'jwks', type: 'textarea',
          help: 'For a private cluster Servitor cannot reach: the JWK set itself (kubectl get --raw /openid/v1/jwks). Nothing is fetched then.' }),
        field({ label: 'Max token age (seconds)', name: 'max_token_age_seconds', type: 'number', min: 1, placeholder: '3600' }),
        field({ label: 'Accept each token (jti) once', name: 'require_jti', type: 'checkbox' }))),
    formActions('Create issuer'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const f = form.elements;
    const body = { name: f.name.value.trim(), issuer_url: f.issuer_url.value.trim() };
    if (f.jwks_uri.value.trim()) body.jwks_uri = f.jwks_uri.value.trim();
    if (f.jwks.value.trim()) {
      try {
        body.jwks = JSON.parse(f.jwks.value);
      } catch (err) {
        showFieldErrors(form, { problem: { field: 'jwks', detail: 'This is not JSON: paste the JWK set as the issuer serves it.' } });
        return;
      }
    }
    if (f.max_token_age_seconds.value.trim()) body.max_token_age_seconds = Number(f.max_token_age_seconds.value.trim());
    if (f.require_jti.checked) body.require_jti = true;
    await busy(form, async () => {
      let created;
      try {
        created = await api('POST', '/v1/federation/issuers', body);
      } catch (err) {
        showFieldErrors(form, err);
        return;
      }
      form.reset();
      await onCreated(created);
    });
  });
  return form;
}
