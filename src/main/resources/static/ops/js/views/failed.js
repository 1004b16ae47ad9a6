// Failed messages: the store filtered by route, status, time window and error text; one message with its payload,
// headers, error and attempt history; replay one, discard one with a reason, or replay every FAILED message of the
// current filter after seeing how many that is (a replay job, at the engine's rate).
import { api } from '../api.js';
import { badge, clear, fact, h, notice, num, pretty, time } from '../dom.js';
import { filterForm, serverTable, timeRange } from '../table.js';

export const title = 'Failed messages';
let listHash = '#/failed';

export function render(main, ctx) {
  if (ctx.parts[1]) detail(main, ctx, ctx.parts[1]);
  else list(main, ctx);
}

function filters(query) {
  return { connection: query.connection, route: query.route, status: query.status, error: query.error, ...timeRange(query) };
}

function list(main, ctx) {
  listHash = location.hash;
  const bulk = h('div', { id: 'bulk-replay', class: 'bulk' });
  main.append(
    h('div', { class: 'view-head' }, h('h1', {}, 'Failed messages'),
      h('button', { type: 'button', id: 'bulk-replay-start', onclick: () => dryRun(bulk, ctx) },
        'Replay all FAILED in this filter…')),
    filterForm({
      id: 'failed-filter', ctx, fields: [
        { name: 'route', label: 'Route', placeholder: 'route id' },
        { name: 'status', label: 'Status', type: 'select', options: [['', 'Any'], ['FAILED', 'FAILED'], ['REPLAYED', 'REPLAYED'], ['DISCARDED', 'DISCARDED']] },
        { name: 'window', type: 'window', label: 'Failed' },
        { name: 'error', label: 'Error text', placeholder: 'e.g. HTTP 400' },
      ],
    }),
    bulk,
    serverTable({
      id: 'failed-table', ctx, defaultSort: 'lastFailedAt,desc', empty: 'No failed message matches these filters.',
      columns: [
        { key: 'id', label: '#', sort: 'id', first: 'desc', class: 'num', cell: (m) => h('a', { href: '#/failed/' + m.id, dataset: { test: 'failed-open' } }, String(m.id)) },
        { key: 'lastFailedAt', label: 'Last failure', sort: 'lastFailedAt', first: 'desc', cell: (m) => time(m.lastFailedAt) },
        { key: 'routeId', label: 'Route', sort: 'routeId' },
        { key: 'connection', label: 'Connection' },
        { key: 'status', label: 'Status', sort: 'status', cell: (m) => badge(m.status) },
        { key: 'httpStatus', label: 'HTTP', sort: 'httpStatus', class: 'num' },
        { key: 'attempts', label: 'Attempts', sort: 'attempts', first: 'desc', class: 'num' },
        { key: 'errorMessage', label: 'Error', class: 'error-text', cell: (m) => h('span', { title: m.errorMessage }, m.errorMessage) },
      ],
      row: (m) => ({ class: 'clickable', dataset: { test: 'failed-row', id: String(m.id) }, onclick: (e) => {
        if (!e.target.closest('a')) ctx.open('/failed/' + m.id);
      } }),
      load: (paging) => api.get('/failed', { ...filters(ctx.query), ...paging }),
    }));
}

async function dryRun(panel, ctx) {
  const filter = { ...filters(ctx.query), status: undefined };
  clear(panel).append(h('p', { class: 'loading' }, 'Counting…'));
  try {
    const count = await api.post('/failed/replay', { ...filter, dryRun: true, limit: 100000 });
    clear(panel);
    if (count.matched === 0) {
      panel.append(notice('note', 'No FAILED message matches this filter; nothing to replay.'));
      return;
    }
    panel.append(h('div', { class: 'card confirm', dataset: { test: 'bulk-confirm' } },
      h('p', {}, h('strong', { id: 'bulk-replay-count' }, num(count.matched)),
        ` FAILED message${count.matched === 1 ? '' : 's'} match${count.matched === 1 ? 'es' : ''} this filter `,
        describe(filter), '. Replay them?'),
      h('button', { type: 'button', class: 'primary', id: 'bulk-replay-confirm', onclick: () => startJob(panel, filter, ctx) },
        `Replay ${num(count.matched)}`),
      h('button', { type: 'button', class: 'quiet', onclick: () => clear(panel) }, 'Cancel')));
  } catch (failure) {
    clear(panel).append(notice('error', 'Dry run failed: ' + failure.message));
  }
}

function describe(filter) {
  const parts = Object.entries(filter).filter(([, v]) => v).map(([k, v]) => `${k} = ${v}`);
  return parts.length ? '(' + parts.join(', ') + ')' : '(no filter: every FAILED message)';
}

async function startJob(panel, filter, ctx) {
  clear(panel).append(h('p', { class: 'loading' }, 'Starting the replay job…'));
  try {
    let job = await api.post('/replay-jobs', filter);
    const progress = h('div', { class: 'card', id: 'bulk-replay-progress' });
    clear(panel).append(progress);
    while (ctx.alive()) {
      clear(progress).append(
        h('p', {}, 'Replay job #', String(job.id), ' ', badge(job.status), ` — ${num(job.done)} of ${num(job.total)} done`),
        h('progress', { max: String(Math.max(job.total, 1)), value: String(job.done) }),
        h('p', { class: 'small' }, `replayed ${num(job.replayed)} · failed again ${num(job.failedAgain)} · skipped ${num(job.skipped)} · could not send ${num(job.sendFailed)}`));
      if (job.status !== 'RUNNING') {
        progress.append(h('button', { type: 'button', id: 'bulk-replay-refresh', onclick: () => {
          const main = document.getElementById('view');
          clear(main);
          list(main, ctx);
        } }, 'Refresh the list'));
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
      job = await api.get('/replay-jobs/' + job.id);
    }
  } catch (failure) {
    clear(panel).append(notice('error', 'Bulk replay failed: ' + failure.message));
  }
}

/** One message; {@code flash} is the outcome of the action that led here (a replay or a discard). */
async function detail(main, ctx, id, flash) {
  const body = h('div', { id: 'failed-detail', dataset: { test: 'failed-detail', state: 'loading' } }, h('p', { class: 'loading' }, 'Loading…'));
  const message = h('div', { id: 'failed-action-message' }, flash);
  main.append(h('p', {}, h('a', { href: listHash, id: 'failed-back' }, '‹ Failed messages')), message, body);
  let m;
  try {
    m = await api.get('/failed/' + encodeURIComponent(id));
  } catch (failure) {
    if (ctx.alive()) clear(body).append(notice('error', failure.message));
    return;
  }
  if (!ctx.alive()) return;
  const reason = h('input', { id: 'discard-reason', type: 'text', placeholder: 'reason (optional)', maxlength: '500' });
  const replay = h('button', { type: 'button', class: 'primary', id: 'failed-replay', disabled: m.status !== 'FAILED' }, 'Replay');
  const discard = h('button', { type: 'button', class: 'danger', id: 'failed-discard', disabled: m.status !== 'FAILED' }, 'Discard');
  replay.addEventListener('click', () => act(replay, '/failed/' + m.id + '/replay', undefined,
    'Replayed: sent back to ' + m.entryEndpoint + '. Should it fail again, this message shows FAILED again.'));
  discard.addEventListener('click', () => act(discard, '/failed/' + m.id + '/discard', { reason: reason.value.trim() || null },
    'Discarded.'));

  async function act(button, path, payload, done) {
    replay.disabled = discard.disabled = true;
    let outcome;
    try {
      await api.post(path, undefined, payload);
      outcome = notice('ok', done);
    } catch (failure) {
      outcome = notice('error', failure.message);
    }
    reload(outcome);
  }

  function reload(outcome) {
    if (!ctx.alive()) return;
    clear(main);
    detail(main, ctx, id, outcome);
  }

  let headers = {};
  try {
    headers = JSON.parse(m.headers || '{}');
  } catch {
    headers = { headers: m.headers };
  }
  clear(body).append(
    h('div', { class: 'view-head' },
      h('h1', {}, 'Failed message #', String(m.id), ' ', h('span', { id: 'failed-detail-status', dataset: { status: m.status } }, badge(m.status))),
      h('button', { type: 'button', id: 'failed-refresh', onclick: () => reload() }, 'Refresh')),
    h('div', { class: 'card actions-card' },
      replay, h('span', { class: 'spacer' }), reason, discard,
      m.status !== 'FAILED' ? h('span', { class: 'muted small' }, 'Only FAILED messages can be replayed or discarded.') : null),
    h('dl', { class: 'facts card', id: 'failed-detail-facts' },
      fact('Route', h('a', { href: '#/failed?route=' + encodeURIComponent(m.routeId) }, m.routeId)),
      fact('Connection', m.connection),
      fact('Entered by', h('code', {}, m.entryEndpoint || '—')),
      fact('Failed at step', h('code', {}, m.failedStep || '—')),
      fact('HTTP status', m.httpStatus ?? '—'),
      fact('Attempts', String(m.attempts)),
      fact('First failure', time(m.firstFailedAt)),
      fact('Last failure', time(m.lastFailedAt)),
      fact('Error class', h('code', {}, m.errorClass || '—'))),
    h('section', { class: 'card' }, h('h2', {}, 'Error'), h('pre', { id: 'failed-detail-error', class: 'error-text' }, m.errorMessage || '')),
    h('section', { class: 'card' }, h('h2', {}, 'Payload'), h('pre', { id: 'failed-detail-body' }, pretty(m.body) || '(empty)')),
    h('section', { class: 'card' }, h('h2', {}, 'Headers ', h('span', { class: 'muted small' }, 'secrets redacted')),
      h('table', { class: 'data compact', id: 'failed-detail-headers' },
        h('tbody', {}, Object.keys(headers).length === 0 ? h('tr', {}, h('td', { class: 'empty' }, 'none'))
          : Object.entries(headers).map(([key, value]) => h('tr', {}, h('th', {}, key),
            h('td', {}, h('code', {}, typeof value === 'string' ? value : JSON.stringify(value)))))))),
    h('section', { class: 'card' }, h('h2', {}, 'History'),
      h('table', { class: 'data', id: 'failed-detail-history' },
        h('thead', {}, h('tr', {}, h('th', {}, 'When'), h('th', {}, 'What'), h('th', {}, 'Who'), h('th', {}, 'Detail'))),
        h('tbody', {}, (m.history || []).map((e) => h('tr', { dataset: { test: 'history-row', action: e.action } },
          h('td', {}, time(e.at)), h('td', {}, badge(e.action)), h('td', {}, e.actor), h('td', { class: 'error-text' }, e.detail || '')))))),
  );
  body.dataset.state = 'ready';
}
