// Signing in is pasting an API key (`openlive serve` prints the first admin key; `openlive key create --role
// broadcaster` makes more). The key is checked with GET /me before it is kept.
import { api } from './api.js';
import { signIn } from './session.js';
import { h, show, errorLine } from './dom.js';

export function signedInAs() {
  return api('GET', '/me');
}

/** Renders the sign-in form into `view`; `done(principal)` once a key works. */
export function signInView(view, done, notice) {
  const input = h('input', {
    id: 'api-key', type: 'password', name: 'api-key', autocomplete: 'off', spellcheck: 'false', required: true,
    placeholder: 'API key', 'aria-label': 'API key',
  });
  const button = h('button', { type: 'submit', text: 'Sign in' });
  const messages = h('div', { id: 'sign-in-messages' }, notice ? h('p', { class: 'notice', text: notice }) : null);
  const form = h('form', { class: 'card sign-in', id: 'sign-in' },
    h('h1', { text: 'Broadcaster console' }),
    h('p', { class: 'muted', text: 'Paste an API key (an admin or broadcaster key). It is kept in this tab only and sent with each request.' }),
    h('label', { for: 'api-key', text: 'API key' }), input, button, messages);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const key = input.value.trim();
    if (!key) return;
    button.disabled = true;
    show(messages, h('p', { class: 'muted', text: 'Checking the key…' }));
    try {
      const principal = await api('GET', '/me', undefined, key);
      signIn(key);
      input.value = '';
      done(principal);
    } catch (err) {
      show(messages, err.status === 401
        ? h('p', { class: 'error', role: 'alert', text: 'This key was refused (' + err.code + '): ' + err.message })
        : errorLine(err));
    } finally {
      button.disabled = false;
    }
  });
  show(view, form);
  input.focus();
  return () => {};
}
