// Orders: search by any id (the marketplace's, ours, the ERP's), filter by state and time; one order's ids, state,
// what it still waits for and its timeline (every event, refusals and failures included).
import { api } from '../api.js';
import { badge, cents, clear, fact, h, notice, time } from '../dom.js';
import { filterForm, serverTable, timeRange } from '../table.js';

export const title = 'Orders';
const STATES = ['RESERVED', 'READY_FOR_HANDLING', 'PARTIALLY_INVOICED', 'INVOICED', 'SHIPPED', 'DELIVERED', 'EXPIRED', 'CANCELED', 'RETURNED'];
let listHash = '#/orders';

export function render(main, ctx) {
  if (ctx.parts[1]) detail(main, ctx, ctx.parts[1]);
  else list(main, ctx);
}

function list(main, ctx) {
  listHash = location.hash;
  main.append(
    h('div', { class: 'view-head' }, h('h1', {}, 'Orders')),
    filterForm({
      id: 'order-filter', ctx, fields: [
        { name: 'id', label: 'Any id starts with', placeholder: 'marketplace, seller or ERP id' },
        { name: 'status', label: 'State', type: 'select', options: [['', 'Any']].concat(STATES.map((s) => [s, s])) },
        { name: 'window', type: 'window', label: 'Placed' },
        { name: 'pending', label: 'Marketplace call pending', type: 'checkbox' },
      ],
    }),
    serverTable({
      id: 'order-table', ctx, defaultSort: 'createdAt,desc', empty: 'No order matches these filters.',
      columns: [
        { key: 'orderId', label: 'Seller order', sort: 'orderId', cell: (o) => h('a', { href: '#/orders/' + encodeURIComponent(o.orderId) }, o.orderId) },
        { key: 'connection', label: 'Connection', sort: 'connection' },
        { key: 'marketplaceOrderId', label: 'Marketplace order', sort: 'marketplaceOrderId' },
        { key: 'erpOrderId', label: 'ERP order', sort: 'erpOrderId' },
        { key: 'status', label: 'State', sort: 'status', cell: (o) => badge(o.status) },
        { key: 'createdAt', label: 'Placed', sort: 'createdAt', first: 'desc', cell: (o) => time(o.createdAt) },
        { key: 'updatedAt', label: 'Updated', sort: 'updatedAt', first: 'desc', cell: (o) => time(o.updatedAt) },
      ],
      row: (o) => ({ class: 'clickable', dataset: { test: 'order-row', id: o.orderId }, onclick: (e) => {
        if (!e.target.closest('a')) ctx.open('/orders/' + o.orderId);
      } }),
      load: (paging) => api.get('/orders', {
        connection: ctx.query.connection, id: ctx.query.id, status: ctx.query.status, pending: ctx.query.pending, ...timeRange(ctx.query), ...paging,
      }),
    }));
}

async function detail(main, ctx, id) {
  const body = h('div', { id: 'order-detail', dataset: { state: 'loading' } }, h('p', { class: 'loading' }, 'Loading…'));
  main.append(h('p', {}, h('a', { href: listHash }, '‹ Orders')), body);
  let o;
  try {
    // the picked connection tells apart a marketplace order id that two connections use
    o = await api.get('/orders/' + encodeURIComponent(id), { connection: ctx.query.connection });
  } catch (failure) {
    if (ctx.alive()) clear(body).append(notice('error', failure.message));
    return;
  }
  if (!ctx.alive()) return;
  clear(body).append(
    h('div', { class: 'view-head' }, h('h1', {}, 'Order ', h('code', {}, o.orderId), ' ', badge(o.status))),
    h('dl', { class: 'facts card' },
      fact('Connection', o.connection),
      fact('Marketplace order', o.marketplaceOrderId),
      fact('Seller order', o.orderId),
      fact('ERP order', o.erpOrderId || '—'),
      fact('ERP reference', o.erpReference || '—'),
      fact('Invoiced', cents(o.invoicedValue)),
      fact('Marketplace services endpoint', h('code', {}, o.marketplaceServicesEndpoint || '—'))),
    h('section', { class: 'card' }, h('h2', {}, 'Pending'),
      (o.pending || []).length === 0 ? h('p', { class: 'muted' }, 'Nothing pending.')
        : h('table', { class: 'data compact', id: 'order-pending' },
          h('thead', {}, h('tr', {}, h('th', {}, 'What'), h('th', {}, 'Status'), h('th', {}, 'Since'))),
          h('tbody', {}, o.pending.map((p) => h('tr', {}, h('td', {}, p.what), h('td', {}, badge(p.status)), h('td', {}, time(p.since))))))),
    h('section', { class: 'card' }, h('h2', {}, 'Timeline'),
      h('ol', { class: 'timeline', id: 'order-timeline' }, (o.events || []).map((e) => h('li', {
        class: 'outcome-' + String(e.outcome).toLowerCase(), dataset: { test: 'timeline-event', event: e.event },
      },
      h('div', { class: 'when' }, time(e.at)),
      h('div', { class: 'what' }, h('strong', {}, e.event.replaceAll('_', ' ').toLowerCase()), ' ', badge(e.outcome),
        h('span', { class: 'muted' }, ' by ', e.source.toLowerCase()),
        e.statusBefore || e.statusAfter ? h('span', { class: 'transition' }, ' ', e.statusBefore || '—', ' → ', e.statusAfter || '—') : null),
      e.detail ? h('div', { class: 'detail' }, e.detail) : null)))),
  );
  body.dataset.state = 'ready';
}
