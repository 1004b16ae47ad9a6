// Dashboard: per flow messages in/out/failed over the last hour and the last success, queue depths, the oldest
// stock change not yet sent, VTEX 429s, failed-message counts and the health of database, broker and VTEX
// (GET /ops/api/dashboard). Refreshed every 15 seconds while open. With a connection picked, the figures kept per
// connection are that connection's; queues and the database and broker health stay the engine's.
import { api } from '../api.js';
import { ago, badge, clear, dash, duration, h, notice, num, time } from '../dom.js';

export const title = 'Dashboard';
const REFRESH_MS = 15000;

export function render(main, ctx) {
  const body = h('div', { id: 'dashboard', dataset: { test: 'dashboard', state: 'loading' } }, h('p', { class: 'loading' }, 'Loading…'));
  const connection = ctx.query.connection;
  main.append(h('div', { class: 'view-head' }, h('h1', {}, 'Dashboard',
    connection ? h('span', { class: 'muted', id: 'dashboard-connection' }, 'connection ', h('code', {}, connection)) : null),
    h('button', { type: 'button', id: 'dashboard-refresh', onclick: () => load() }, 'Refresh')), body);

  async function load() {
    try {
      const data = await api.get('/dashboard', { connection });
      if (ctx.alive()) show(body, data);
    } catch (failure) {
      if (!ctx.alive()) return;
      clear(body);
      body.append(notice('error', 'Could not load the dashboard: ' + failure.message));
      body.dataset.state = 'failed';
    }
  }

  load();
  const timer = setInterval(load, REFRESH_MS);
  ctx.onLeave(() => clearInterval(timer));
}

function show(body, data) {
  clear(body);
  const failed = data.failedMessages || {};
  // links into the other views keep the connection (the shell adds it to any address that lacks it)
  const oldest = data.oldestUnsentStockChange;
  const health = data.health || {};
  body.append(
    h('section', { class: 'tiles', id: 'dashboard-health', 'aria-label': 'Health' },
      ['db', 'broker', 'vtex'].map((part) => h('div', {
        class: 'tile ' + ({ UP: 'good', DOWN: 'bad' }[health[part]] || 'muted'), dataset: { test: 'health-' + part },
      },
        h('span', { class: 'tile-label' }, { db: 'Database', broker: 'Broker', vtex: 'VTEX' }[part]),
        h('span', { class: 'tile-value' }, badge(health[part] || 'UNKNOWN'))))),
    h('section', { class: 'tiles', id: 'dashboard-kpis', 'aria-label': 'Key figures' },
      tile('Failed, waiting', h('a', { href: '#/failed?status=FAILED' }, num(failed.FAILED || 0)), failed.FAILED ? 'bad' : 'good', 'failed'),
      tile('Replayed', h('a', { href: '#/failed?status=REPLAYED' }, num(failed.REPLAYED || 0)), '', 'replayed'),
      tile('Discarded', h('a', { href: '#/failed?status=DISCARDED' }, num(failed.DISCARDED || 0)), '', 'discarded'),
      tile('Open orders', h('a', { href: '#/orders' }, num(data.openOrders)), '', 'open-orders'),
      tile('VTEX 429, last hour', num(data.vtex429LastHour || 0), data.vtex429LastHour ? 'warn' : '', 'vtex429'),
      tile('Oldest unsent stock change', oldest
        ? h('span', {}, duration(oldest.ageSeconds), h('small', {}, 'SKU ', h('a', { href: '#/offers?sku=' + encodeURIComponent(oldest.sku) }, oldest.sku)))
        : 'none', oldest && oldest.ageSeconds > 300 ? 'warn' : '', 'oldest-stock')),
    h('section', { class: 'card' },
      h('h2', {}, 'Flows ', h('span', { class: 'muted' }, 'last hour')),
      h('div', { class: 'scroll' }, h('table', { class: 'data', id: 'dashboard-flows' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Flow'), h('th', { class: 'num' }, 'In'), h('th', { class: 'num' }, 'Out'),
          h('th', { class: 'num' }, 'Failed'), h('th', {}, 'Last success'), h('th', { class: 'num' }, 'p95'))),
        h('tbody', {}, (data.flows || []).length === 0 ? h('tr', {}, h('td', { colspan: 6, class: 'empty' }, 'No flow reported.'))
          : data.flows.map((flow) => h('tr', { dataset: { test: 'flow-row', flow: flow.flow } },
            h('td', {}, h('a', { href: '#/failed?route=' + encodeURIComponent(flow.flow) }, flow.flow)),
            h('td', { class: 'num' }, num(flow.in)), h('td', { class: 'num' }, num(flow.out)),
            h('td', { class: 'num' + (flow.failed ? ' bad-text' : '') }, num(flow.failed)),
            h('td', {}, flow.lastSuccessAt ? ago(flow.lastSuccessAt) : 'never'),
            h('td', { class: 'num' }, flow.p95Millis === null || flow.p95Millis === undefined ? dash : flow.p95Millis.toFixed(1) + ' ms'))))))),
    h('section', { class: 'card' },
      h('h2', {}, 'Queues'),
      h('div', { class: 'scroll' }, h('table', { class: 'data', id: 'dashboard-queues' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Channel'), h('th', {}, 'Endpoint'), h('th', { class: 'num' }, 'Depth'))),
        h('tbody', {}, (data.queues || []).length === 0 ? h('tr', {}, h('td', { colspan: 3, class: 'empty' }, 'No queue reported.'))
          : data.queues.map((queue) => h('tr', { dataset: { test: 'queue-row', channel: queue.channel } },
            h('td', {}, queue.channel), h('td', {}, h('code', {}, queue.endpoint)),
            h('td', { class: 'num' }, queue.depth === null || queue.depth === undefined ? h('span', { title: 'not measurable for this endpoint' }, dash) : num(queue.depth)))))))),
    h('p', { class: 'muted small' }, 'Generated ', time(data.generatedAt), ' · refreshed every 15 s',
      data.connection ? ' · queues and the database and broker health are the whole engine\'s' : ''),
  );
  body.dataset.state = 'ready';
}

function tile(label, value, tone, test) {
  return h('div', { class: 'tile ' + (tone || ''), dataset: { test: 'kpi-' + test } },
    h('span', { class: 'tile-label' }, label), h('span', { class: 'tile-value' }, value));
}
