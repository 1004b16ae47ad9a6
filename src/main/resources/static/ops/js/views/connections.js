// Connections: every marketplace the engine serves, with its open orders, failed messages and the last answers of its
// VTEX account (GET /ops/api/connections). Picking one here is picking it in the header.
import { api } from '../api.js';
import { badge, clear, dash, h, notice, num, time } from '../dom.js';

export const title = 'Connections';

export function render(main, ctx) {
  const body = h('div', { id: 'connections', dataset: { state: 'loading' } }, h('p', { class: 'loading' }, 'Loading…'));
  main.append(h('div', { class: 'view-head' }, h('h1', {}, 'Connections')), body);
  api.get('/connections').then((answer) => {
    if (!ctx.alive()) return;
    clear(body).append(h('div', { class: 'table-block' }, h('div', { class: 'scroll' }, h('table', { class: 'data', id: 'connection-table' },
      h('thead', {}, h('tr', {}, ['Connection', 'Role', 'Enabled', 'VTEX account', 'Seller id', 'Sales channel', 'Endpoint',
        'Open orders', 'Failed messages', 'Last successful call', 'Last failed call'].map((label) => h('th', {}, label)))),
      h('tbody', {}, (answer.items || []).map((c) => h('tr', {
        class: c.id === ctx.query.connection ? 'active' : undefined, dataset: { test: 'connection-row', id: c.id },
      },
      h('td', {}, h('a', { href: '#/dashboard?connection=' + encodeURIComponent(c.id), title: 'Pick this connection' }, c.id)),
      h('td', {}, c.role),
      h('td', {}, badge(c.enabled ? 'ENABLED' : 'DISABLED')),
      h('td', {}, c.vtexAccount || dash),
      h('td', {}, c.sellerId || dash),
      h('td', {}, c.salesChannel || dash),
      h('td', {}, h('code', {}, c.endpointPath)),
      h('td', { class: 'num' }, h('a', { href: '#/orders?connection=' + encodeURIComponent(c.id) }, num(c.openOrders))),
      h('td', { class: 'num' + (c.failedMessages ? ' bad-text' : '') },
        h('a', { href: '#/failed?status=FAILED&connection=' + encodeURIComponent(c.id) }, num(c.failedMessages))),
      h('td', { dataset: { col: 'lastSuccessfulCall' } }, call(c.lastSuccessfulCall)),
      h('td', { dataset: { col: 'lastFailedCall' } }, call(c.lastFailedCall)))))))),
    h('p', { class: 'muted small' }, 'Last calls are this engine instance\'s since it started.'));
    body.dataset.state = 'ready';
  }, (failure) => {
    if (!ctx.alive()) return;
    clear(body).append(notice('error', 'Could not load the connections: ' + failure.message));
    body.dataset.state = 'failed';
  });
}

/** HTTP status (or "no answer"), API family and time of one VTEX call. */
function call(c) {
  if (!c) return dash;
  return h('span', {}, c.status === null || c.status === undefined ? badge('NO ANSWER') : h('code', {}, String(c.status)),
    ' ', c.family, ' ', time(c.at));
}
