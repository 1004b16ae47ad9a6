// Login: the operator pastes an ops token (BRIDGE_OPS_TOKEN or one of bridge.ops.tokens). It is checked against the
// API, then kept in this tab's sessionStorage only.
import { api, token, ApiFailure } from '../api.js';
import { h, notice } from '../dom.js';

export const title = 'Log in';

export function render(main, ctx) {
  const input = h('input', {
    id: 'login-token', name: 'token', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false',
    placeholder: 'BRIDGE_OPS_TOKEN',
  });
  const message = h('div', { id: 'login-message' },
    ctx.query.refused === 'true' ? notice('error', 'The engine refused the token. Paste a valid ops token.') : null);
  const button = h('button', { type: 'submit', class: 'primary', id: 'login-submit' }, 'Log in');
  const form = h('form', { class: 'login card', id: 'login-form' },
    h('h1', {}, 'vtex-bridge ', h('span', { class: 'muted' }, 'ops console')),
    h('p', {}, 'Paste an ops API token: ', h('code', {}, 'BRIDGE_OPS_TOKEN'), ', one of ', h('code', {}, 'bridge.ops.tokens'),
      ', or the token the engine printed at start-up. It stays in this browser tab only.'),
    h('label', { for: 'login-token' }, 'Ops token', input),
    message,
    button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    message.replaceChildren();
    token.set(input.value.trim());
    try {
      await api.get('/audit', { size: 1 });
      const then = ctx.query.then && !ctx.query.then.startsWith('/login') ? ctx.query.then : '/dashboard';
      location.hash = '#' + then;
    } catch (failure) {
      token.clear();
      message.append(notice('error', failure instanceof ApiFailure && failure.status === 401
        ? 'The engine refused this token.' : 'Could not check the token: ' + failure.message));
      button.disabled = false;
      input.select();
    }
  });
  main.append(h('div', { class: 'login-page' }, form));
  input.focus();
}
