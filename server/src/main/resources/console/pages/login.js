// SPDX-License-Identifier: Apache-2.0
// #/login: a human user's user name and password. Service accounts cannot log in (the API
// answers them with the same 401 as a wrong password, so the page says so up front).
import { api } from '../api.js';
import { navigate, refreshIdentity } from '../app.js';
import { clearErrors, field, h, showErrors } from '../ui.js';

export async function render(main) {
  const submit = h('button', { type: 'submit', class: 'button-primary' }, 'Log in');
  const form = h('form', { class: 'card login-form', novalidate: true },
    field({ label: 'User name', name: 'username', required: true, autocomplete: 'username' }),
    field({ label: 'Password', name: 'password', type: 'password', required: true, autocomplete: 'current-password' }),
    field({ label: 'Organization', name: 'org', autocomplete: 'organization',
      help: 'Only needed when your user name exists in several organizations.' }),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const username = form.elements.username.value.trim();
    const password = form.elements.password.value;
    const org = form.elements.org.value.trim();
    if (!username) return showErrors(form, { problem: { field: 'username', detail: 'Enter your user name.' } });
    if (!password) return showErrors(form, { problem: { field: 'password', detail: 'Enter your password.' } });
    submit.disabled = true;
    try {
      await api('POST', '/v1/session', org ? { username, password, org } : { username, password }, { login: true });
      form.elements.password.value = '';
      await refreshIdentity();
      navigate('#/accounts');
    } catch (e) {
      form.elements.password.value = '';
      if (e.status === 401) {
        showErrors(form, { problem: { detail: 'Wrong user name or password. Service accounts cannot log in to the console: '
          + 'log in with a human user\'s user name and password.' } });
      } else {
        showErrors(form, e);
      }
    } finally {
      submit.disabled = false;
    }
  });
  main.append(
    h('div', { class: 'login' },
      h('h1', {}, 'Log in to Servitor'),
      h('p', {}, 'Use your user name and password. Only human users can log in to the console; '
        + 'service accounts cannot: their API keys and client secrets work with the API only.'),
      form));
  form.elements.username.focus();
}
