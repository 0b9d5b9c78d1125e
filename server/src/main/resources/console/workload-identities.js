// SPDX-License-Identifier: Apache-2.0
// The "Workload identities" section of a service account's page: its federated credentials
// (api.md "Keyless service accounts"), a form to add one, and a copy-ready GitHub Actions step
// that exchanges the job's OIDC token for an access token of this account.
import { api } from './api.js';
import { busy, confirmAndDelete, formActions, NAME_HELP, pageError } from './admin-ui.js';
import { clearErrors, errorBox, field, formatTime, h, loadingNote, notify, showErrors, table } from './ui.js';

const base = (a) => `/v1/service-accounts/${encodeURIComponent(a.name)}/federated-credentials`;

export async function renderWorkloadIdentities(section, a) {
  const list = h('div', { 'aria-live': 'polite' }, loadingNote());
  const formSlot = h('div', {});
  const snippetSlot = h('div', {});
  const add = h('button', { type: 'button', 'aria-expanded': 'false', onclick: () => toggle() }, 'Add workload identity');
  section.replaceChildren(
    h('div', { class: 'page-header' }, h('h2', { id: 'workload-identities-title' }, 'Workload identities'), h('div', { class: 'actions' }, add)),
    h('p', {}, 'A CI job or workload holding a token of a trusted issuer (GitHub Actions, GitLab, Kubernetes, SPIFFE, ...) that matches '
      + `one of these trades it for an access token of ${a.name}: no secret is stored anywhere.`),
    formSlot, list, snippetSlot);

  const refresh = async () => {
    let creds;
    try {
      const answer = await api('GET', base(a));
      creds = Array.isArray(answer) ? answer : (answer.federated_credentials || []);
    } catch (e) {
      list.replaceChildren(errorBox(e));
      return;
    }
    list.replaceChildren(table({
      caption: 'Workload identities',
      columns: [
        { label: 'Name', value: (c) => c.name },
        { label: 'Issuer', value: (c) => c.issuer },
        { label: 'Audience', value: (c) => h('code', { class: 'wrap' }, c.audience), className: 'wrap' },
        { label: 'Subject', value: subjectOf, className: 'wrap' },
        { label: 'Condition', value: (c) => (c.condition ? h('code', { class: 'wrap' }, c.condition) : '—'), className: 'wrap' },
        { label: 'Last used', value: (c) => (c.last_used_at ? formatTime(c.last_used_at) : 'Never') },
        { label: 'Actions', value: (c) => h('button', { type: 'button', class: 'button-danger', 'aria-label': `Remove workload identity ${c.name}`,
          onclick: () => confirmAndDelete(section, {
            confirm: { title: `Remove workload identity ${c.name}?`, confirmLabel: 'Remove',
              message: `Tokens of ${c.issuer} matching it can no longer be exchanged for ${a.name}. Access tokens already issued live out their lifetime.` },
            path: `${base(a)}/${encodeURIComponent(c.name)}`, done: `Workload identity ${c.name} removed.`, after: refresh }) }, 'Remove') },
      ],
      rows: creds,
      empty: `${a.name} accepts no workload identity. Add one with "Add workload identity".`,
    }));
    snippetSlot.replaceChildren(githubSnippet(a, creds[0]));
  };

  async function toggle() {
    if (formSlot.firstChild) { formSlot.replaceChildren(); add.setAttribute('aria-expanded', 'false'); return; }
    add.setAttribute('aria-expanded', 'true');
    let issuers = [];
    try {
      const answer = await api('GET', '/v1/federation/issuers?page_size=1000');
      issuers = Array.isArray(answer) ? answer : (answer.issuers || []);
    } catch (e) {
      if (e.status !== 403) { pageError(section, e); return; } // a non-admin may still type an issuer's name
    }
    const form = credentialForm(a, issuers, async (created) => {
      formSlot.replaceChildren();
      add.setAttribute('aria-expanded', 'false');
      notify(`Workload identity ${created.name} added to ${a.name}.`);
      await refresh();
    });
    formSlot.replaceChildren(form);
    form.elements.name.focus();
  }

  await refresh();
}

function subjectOf(c) {
  if (c.subject) return h('code', { class: 'wrap' }, c.subject);
  if (c.subject_prefix) return h('span', {}, h('code', { class: 'wrap' }, c.subject_prefix), '…');
  return 'Any';
}

function credentialForm(a, issuers, onCreated) {
  const issuerField = issuers.length
    ? field({ label: 'Issuer', name: 'issuer', type: 'select', required: true, value: issuers[0].name,
      options: issuers.map((i) => ({ value: i.name, label: `${i.name} (${i.issuer_url})` })) })
    : field({ label: 'Issuer', name: 'issuer', required: true, autocomplete: 'off', help: 'The name of a federation issuer.' });
  const form = h('form', { class: 'workload-identity-form', novalidate: true, 'aria-label': 'Add workload identity' },
    h('div', { class: 'form-grid' },
      h('div', {},
        field({ label: 'Name', name: 'name', required: true, autocomplete: 'off', help: NAME_HELP }),
        issuerField,
        field({ label: 'Audience', name: 'audience', required: true, autocomplete: 'off', placeholder: 'https://servitor.example.com',
          help: 'The token\'s aud must contain it.' }),
        field({ label: 'Token lifetime (seconds)', name: 'token_lifetime_seconds', type: 'number', min: 1, placeholder: '900' })),
      h('div', {},
        field({ label: 'Subject', name: 'subject', autocomplete: 'off', placeholder: 'repo:acme/web:ref:refs/heads/main',
          help: 'The token\'s exact sub.' }),
        field({ label: 'Subject prefix', name: 'subject_prefix', autocomplete: 'off' }),
        field({ label: 'Condition (CEL)', name: 'condition', type: 'textarea',
          placeholder: "claims.repository_owner_id == '1234567' && claims.ref == 'refs/heads/main'",
          help: 'On a shared issuer (GitHub, GitLab.com, ...) pin your organization by its id here or in the subject.' }))),
    formActions('Add workload identity'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const f = form.elements;
    const body = { name: f.name.value.trim(), issuer: f.issuer.value.trim(), audience: f.audience.value.trim() };
    for (const k of ['subject', 'subject_prefix', 'condition']) if (f[k].value.trim()) body[k] = f[k].value.trim();
    const lifetime = f.token_lifetime_seconds.value.trim();
    if (lifetime) body.token_lifetime_seconds = Number(lifetime);
    await busy(form, async () => {
      try {
        await onCreated(await api('POST', base(a), body));
      } catch (err) {
        showErrors(form, err);
      }
    });
  });
  return form;
}

/** The GitHub Actions step, with this account's id and (when there is one) a credential's audience filled in. */
export function githubActionsStep(a, audience) {
  const aud = audience || location.origin;
  return `permissions:
  id-token: write   # lets the job request an OIDC token
  contents: read
steps:
  - name: Servitor access token for ${a.name}, no stored secret
    env:
      SERVITOR_URL: ${location.origin}
      SERVITOR_CLIENT_ID: ${a.id}
      SERVITOR_AUDIENCE: ${aud}
    run: |
      ID_TOKEN=$(curl -sSf -H "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" \\
        "$ACTIONS_ID_TOKEN_REQUEST_URL&audience=$SERVITOR_AUDIENCE" | jq -r .value)
      ACCESS_TOKEN=$(curl -sSf "$SERVITOR_URL/oauth/token" \\
        -d grant_type=urn:ietf:params:oauth:grant-type:token-exchange \\
        -d subject_token_type=urn:ietf:params:oauth:token-type:jwt \\
        --data-urlencode "subject_token=$ID_TOKEN" \\
        -d client_id="$SERVITOR_CLIENT_ID" | jq -r .access_token)
      echo "::add-mask::$ACCESS_TOKEN"
      echo "SERVITOR_ACCESS_TOKEN=$ACCESS_TOKEN" >> "$GITHUB_ENV"
`;
}

function githubSnippet(a, credential) {
  const text = githubActionsStep(a, credential ? credential.audience : null);
  const status = h('p', { class: 'copy-status', role: 'status', 'aria-live': 'polite' });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = 'Copied to the clipboard.';
    } catch (e) {
      status.textContent = 'Copying was refused: select the text and press Ctrl+C (⌘C).';
    }
  };
  return h('details', { class: 'snippet', id: 'github-actions-snippet' },
    h('summary', {}, 'GitHub Actions: copy-ready workflow step'),
    h('pre', {}, h('code', { id: 'github-actions-step' }, text)),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'copy-button', onclick: copy }, 'Copy')),
    status);
}
