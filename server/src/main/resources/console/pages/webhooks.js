// SPDX-License-Identifier: Apache-2.0
// Webhooks: endpoints that receive the organization's lifecycle events (api.md "Lifecycle
// events"). #/webhooks lists them; #/webhooks?deliveries=<id> shows one endpoint's deliveries.
import { api } from '../api.js';
import { h, field, clearErrors, table, loading, notify, formatTime, pageHeader, errorBox, confirmDialog, secretDialog } from '../ui.js';
import { route, fetchAll, showFieldErrors, busy, panel, toggler, formActions, refresher, confirmAndDelete, pageError, badge, checkedValues, listText } from '../admin-ui.js';

/** The event types an endpoint can subscribe to today (api.md); "*" is every type, those to come included. */
const EVENT_TYPES = ['service_account.created', 'service_account.updated', 'service_account.disabled', 'service_account.enabled',
  'service_account.deleted', 'key.created', 'key.rotated', 'key.revoked', 'secret.generated', 'webhook.test'];

// Servitor must sign with a webhook secret, so it keeps it encrypted (not hashed) and still never shows it again.
const SECRET_WARNING = 'This will not be shown again. Copy it now into your receiver\'s configuration: it checks the signature of every delivery.';

const path = (id) => `/v1/webhooks/${encodeURIComponent(id)}`;

export async function render(main, params) {
  const showing = params.query ? params.query.get('deliveries') : null;
  if (showing) { await renderDeliveries(main, params, showing); return; }
  const refresh = refresher(render, main, params);
  loading(main);
  let hooks;
  try {
    hooks = await fetchAll('/v1/webhooks', 'webhooks');
  } catch (err) {
    main.replaceChildren(pageHeader('Webhooks'), errorBox(err));
    return;
  }
  const create = panel('New webhook', webhookForm(async (created) => {
    await secretDialog({ title: 'Signing secret of the new webhook', secret: created.secret, extra: [['URL', created.url]], warning: SECRET_WARNING });
    notify('Webhook created.');
    await refresh();
  }));
  main.replaceChildren(
    pageHeader('Webhooks', toggler('New webhook', create, 'new-webhook')),
    h('p', { class: 'intro' }, 'Servitor sends a signed POST to each endpoint when an event it subscribes to happens. '
      + 'Failed deliveries are retried for 24 hours; an endpoint failing for 5 days is disabled.'),
    create,
    table({
      caption: 'Webhooks',
      columns: [
        { label: 'URL', value: (w) => h('div', {}, h('code', { class: 'wrap' }, w.url), w.description ? h('div', { class: 'field-help' }, w.description) : null), className: 'wrap' },
        { label: 'Events', value: (w) => (w.events.includes('*') ? 'All events' : listText(w.events)), className: 'wrap' },
        { label: 'Status', value: statusOf },
        { label: 'Failing since', value: (w) => formatTime(w.failing_since) },
        { label: 'Actions', value: (w) => actions(main, w, refresh) },
      ],
      rows: hooks,
      empty: 'No webhooks yet. Add one with "New webhook".',
    }));
}

function statusOf(w) {
  if (!w.disabled) return badge('Enabled', 'ok');
  if (w.disabled_reason === 'failing') return badge('Disabled: kept failing', 'off');
  return badge(w.disabled_reason === 'admin' ? 'Disabled by an admin' : 'Disabled', 'muted');
}

function actions(main, w, refresh) {
  const label = (what) => `${what} ${w.url}`;
  return h('div', { class: 'actions' },
    h('a', { href: route('webhooks', { deliveries: w.id }), class: 'button button-quiet', 'aria-label': label('Deliveries of') }, 'Deliveries'),
    h('button', { type: 'button', 'aria-label': label('Send test to'), disabled: w.disabled, onclick: () => sendTest(main, w) }, 'Send test'),
    h('button', { type: 'button', 'aria-label': label(w.disabled ? 'Enable' : 'Disable'), onclick: () => setDisabled(main, w, !w.disabled, refresh) },
      w.disabled ? 'Enable' : 'Disable'),
    h('button', { type: 'button', 'aria-label': label('Rotate secret of'), onclick: () => rotate(main, w) }, 'Rotate secret'),
    h('button', { type: 'button', class: 'button-danger', 'aria-label': label('Delete'), onclick: () => remove(main, w, refresh) }, 'Delete'));
}

function webhookForm(onCreated) {
  const form = h('form', { novalidate: true, 'aria-label': 'New webhook' },
    field({ label: 'URL', name: 'url', type: 'url', required: true, autocomplete: 'off', placeholder: 'https://example.com/servitor-events',
      help: 'An https:// address that accepts POST requests.' }),
    field({ label: 'Events', name: 'events', type: 'checkboxes',
      options: [{ value: '*', label: 'All events (also types added later)' }, ...EVENT_TYPES] }),
    field({ label: 'Description', name: 'description' }),
    field({ label: 'Create disabled (send nothing until enabled)', name: 'disabled', type: 'checkbox' }),
    formActions('Create webhook'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const f = form.elements;
    const body = { url: f.url.value.trim(), events: checkedValues(form, 'events'), description: f.description.value.trim() || undefined };
    if (f.disabled.checked) body.disabled = true;
    await busy(form, async () => {
      let created;
      try {
        created = await api('POST', '/v1/webhooks', body);
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

async function sendTest(main, w) {
  try {
    await api('POST', `${path(w.id)}/test`);
  } catch (err) {
    pageError(main, err);
    return;
  }
  notify(`Test event queued for ${w.url}. See it under Deliveries.`);
}

async function setDisabled(main, w, disabled, refresh) {
  if (disabled && !(await confirmDialog({
    title: 'Disable this webhook?',
    message: `Nothing is sent to ${w.url} while it is disabled; events that happen meanwhile are not sent later.`,
    confirmLabel: 'Disable',
  }))) return;
  try {
    await api('PATCH', path(w.id), { disabled });
  } catch (err) {
    pageError(main, err);
    return;
  }
  notify(disabled ? 'Webhook disabled.' : 'Webhook enabled.');
  await refresh();
}

async function rotate(main, w) {
  if (!(await confirmDialog({
    title: 'Rotate the signing secret?',
    message: 'A new secret is shown once. For 24 hours every delivery is signed with both the new and the old secret, '
      + 'so the receiver can switch without missing an event.',
    confirmLabel: 'Rotate secret', danger: false,
  }))) return;
  let rotated;
  try {
    rotated = await api('POST', `${path(w.id)}/rotate-secret`);
  } catch (err) {
    pageError(main, err);
    return;
  }
  await secretDialog({ title: 'New signing secret', secret: rotated.secret, extra: [['URL', w.url]], warning: SECRET_WARNING });
}

async function remove(main, w, refresh) {
  await confirmAndDelete(main, {
    confirm: {
      title: 'Delete this webhook?',
      message: `Nothing more is sent to ${w.url}, and its pending deliveries are dropped. This cannot be undone.`,
      confirmLabel: 'Delete webhook',
    },
    path: path(w.id),
    done: 'Webhook deleted.',
    after: refresh,
  });
}

// ------------------------------------------------------------------ deliveries of one endpoint

async function renderDeliveries(main, params, id) {
  const refresh = refresher(render, main, params);
  const back = h('a', { href: route('webhooks'), class: 'button button-quiet' }, 'Back to webhooks');
  loading(main);
  let hook;
  let deliveries;
  try {
    [hook, deliveries] = await Promise.all([api('GET', path(id)), fetchAll(`${path(id)}/deliveries`, 'deliveries')]);
  } catch (err) {
    main.replaceChildren(pageHeader('Deliveries', back), errorBox(err));
    return;
  }
  const test = h('button', { type: 'button', disabled: hook.disabled, onclick: async () => { await sendTest(main, hook); await refresh(); } }, 'Send test');
  const reload = h('button', { type: 'button', onclick: refresh }, 'Refresh');
  main.replaceChildren(
    pageHeader('Deliveries', back, reload, test),
    h('p', { class: 'intro' }, 'To ', h('code', {}, hook.url), ' ', statusOf(hook), '. Newest first.'),
    table({
      caption: 'Deliveries',
      columns: [
        { label: 'Event', value: (d) => h('div', {}, d.type, h('div', { class: 'field-help' }, h('code', {}, d.event_id))) },
        { label: 'Status', value: deliveryStatus },
        { label: 'Attempts', value: (d) => String(d.attempt) },
        { label: 'Response', value: (d) => (d.response_status == null ? '—' : String(d.response_status)) },
        { label: 'Last error', value: (d) => d.last_error || '—', className: 'wrap' },
        { label: 'Delivered / next attempt', value: (d) => (d.delivered_at ? formatTime(d.delivered_at)
          : d.next_attempt_at ? `Next: ${formatTime(d.next_attempt_at)}` : '—') },
        { label: 'Actions', value: (d) => h('button', { type: 'button', 'aria-label': `Retry delivery ${d.id}`, onclick: () => retry(main, hook, d, refresh) }, 'Retry') },
      ],
      rows: deliveries,
      empty: 'Nothing sent to this endpoint yet. "Send test" sends a webhook.test event.',
    }));
}

function deliveryStatus(d) {
  if (d.status === 'delivered') return badge('Delivered', 'ok');
  if (d.status === 'failed') return badge('Failed', 'off');
  return badge('Pending', 'warn');
}

async function retry(main, hook, d, refresh) {
  try {
    await api('POST', `${path(hook.id)}/deliveries/${encodeURIComponent(d.id)}/retry`);
  } catch (err) {
    pageError(main, err);
    return;
  }
  notify(`Delivery of ${d.type} will be sent again now.`);
  await refresh();
}
