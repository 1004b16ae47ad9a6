// Offers: the seller's offer management view. Per SKU: where it stands with the marketplace, why it is in error (or
// why its price is held), the price and stock in the projection, and the last price and stock sent.
import { api } from '../api.js';
import { badge, cents, clear, h, notice, num, time } from '../dom.js';
import { filterForm, serverTable } from '../table.js';

export const title = 'Offers';
const STATUSES = ['pending', 'suggested', 'bound', 'held', 'error'];

export function render(main, ctx) {
  const counts = h('div', { class: 'chips', id: 'offer-counts' });
  const message = h('div', { id: 'offer-message' });
  main.append(
    h('div', { class: 'view-head' }, h('h1', {}, 'Offers')),
    counts,
    filterForm({
      id: 'offer-filter', ctx, fields: [
        { name: 'status', label: 'Status', type: 'select', options: [['', 'Any']].concat(STATUSES.map((s) => [s, s])) },
        { name: 'sku', label: 'SKU starts with', placeholder: 'e.g. P0001' },
        { name: 'reason', label: 'Reason contains', placeholder: 'e.g. HTTP 400' },
      ],
    }),
    message,
    serverTable({
      id: 'offer-table', ctx, defaultSort: 'sku,asc', empty: 'No offer matches these filters.',
      columns: [
        { key: 'sku', label: 'SKU', sort: 'sku', cell: (o) => h('code', {}, o.sku) },
        { key: 'status', label: 'Status', sort: 'status', cell: (o) => badge(o.status) },
        { key: 'reason', label: 'Reason', sort: 'reason', class: 'error-text',
          cell: (o) => h('span', { dataset: { test: 'offer-reason' }, title: o.blockedBy ? 'blocked by ' + o.blockedBy : '' }, o.reason || '') },
        { key: 'price', label: 'Price', class: 'num', cell: (o) => cents(o.price) },
        { key: 'notifiedPrice', label: 'Last price sent', sort: 'notifiedPrice', first: 'desc', class: 'num', cell: (o) => cents(o.notifiedPrice) },
        { key: 'exposedQuantity', label: 'Stock', class: 'num', cell: (o) => num(o.exposedQuantity) },
        { key: 'notifiedQuantity', label: 'Last stock sent', sort: 'notifiedQuantity', first: 'desc', class: 'num', cell: (o) => num(o.notifiedQuantity) },
        { key: 'updatedAt', label: 'Updated', sort: 'updatedAt', first: 'desc', cell: (o) => time(o.updatedAt) },
        { key: 'actions', label: '', cell: (o) => o.heldPrice === null || o.heldPrice === undefined ? '' : h('button', {
          type: 'button', class: 'small', dataset: { test: 'approve-price' }, title: 'Send the held price to the marketplace',
          onclick: async (event) => {
            event.target.disabled = true;
            try {
              await api.post('/offers/' + encodeURIComponent(o.sku) + '/price/approve');
              clear(message).append(notice('ok', `Held price ${cents(o.heldPrice)} of ${o.sku} approved and sent.`));
            } catch (failure) {
              clear(message).append(notice('error', failure.message));
              event.target.disabled = false;
            }
          },
        }, 'Approve ' + cents(o.heldPrice)) },
      ],
      row: (o) => ({ dataset: { test: 'offer-row', sku: o.sku, status: o.status } }),
      load: async (paging) => {
        const answer = await api.get('/offers', {
          connection: ctx.query.connection, status: ctx.query.status, sku: ctx.query.sku, reason: ctx.query.reason, ...paging,
        });
        if (ctx.alive()) showCounts(counts, answer.counts || {}, ctx);
        return answer;
      },
    }));
}

function showCounts(el, counts, ctx) {
  clear(el).append(...STATUSES.map((status) => h('a', {
    href: '#/offers?status=' + status, class: 'chip' + (ctx.query.status === status ? ' active' : ''),
    dataset: { test: 'offer-count', status },
  }, badge(status), ' ', num(counts[status] || 0))));
}
