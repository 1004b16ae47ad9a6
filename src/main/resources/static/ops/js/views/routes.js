// Routes: the safe reload of the route files. Every file is checked first; only when all pass are the running
// routes swapped, otherwise nothing changes and each file's error is shown.
import { api, ApiFailure } from '../api.js';
import { badge, clear, h, notice } from '../dom.js';

export const title = 'Routes';

export function render(main, ctx) {
  const result = h('div', { id: 'routes-result' });
  const button = h('button', { type: 'button', class: 'primary', id: 'routes-reload' }, 'Reload routes');
  button.addEventListener('click', async () => {
    button.disabled = true;
    clear(result).append(h('p', { class: 'loading' }, 'Checking the route files…'));
    try {
      show(result, await api.post('/routes/reload'));
    } catch (failure) {
      if (failure instanceof ApiFailure && failure.status === 422 && failure.body) show(result, failure.body);
      else clear(result).append(notice('error', failure.message));
    }
    if (ctx.alive()) button.disabled = false;
  });
  main.append(
    h('div', { class: 'view-head' }, h('h1', {}, 'Routes'), button),
    h('p', { class: 'card' }, 'Reload reads every route file again and checks it in a scratch context first. Only when all ',
      'files pass are the running file routes drained and replaced; otherwise the running routes stay as they are and ',
      'each broken file is listed with its error. Every reload is in the ', h('a', { href: '#/audit?action=ROUTE_RELOAD' }, 'audit trail'), '.'),
    result);
}

function show(el, answer) {
  const files = answer.files || [];
  const broken = files.filter((file) => !file.ok);
  clear(el).append(
    answer.reloaded
      ? notice('ok', `Reloaded ${files.length} file(s): ${(answer.started || []).length} route(s) started, ${(answer.removed || []).length} removed.`)
      : notice('error', 'Nothing was changed: ', answer.error || `${broken.length} file(s) failed the check.`),
    h('div', { class: 'table-block' }, h('table', { class: 'data', id: 'routes-files' },
      h('thead', {}, h('tr', {}, h('th', {}, 'File'), h('th', {}, 'Check'), h('th', {}, 'Routes'), h('th', {}, 'Error'))),
      h('tbody', {}, files.map((file) => h('tr', { dataset: { test: 'route-file', ok: String(file.ok) } },
        h('td', {}, h('code', {}, file.file)), h('td', {}, badge(file.ok ? 'OK' : 'ERROR')),
        h('td', {}, (file.routes || []).join(', ')), h('td', { class: 'error-text' }, h('pre', {}, file.error || ''))))))));
}
