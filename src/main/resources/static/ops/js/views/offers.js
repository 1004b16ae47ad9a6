// Offers: the seller's offer management view. Per SKU: where it stands with the marketplace, why it is in error (or
// why its price is held), the price and stock in the projection, and the last price and stock sent. With a
// marketplace-role connection picked: that connection's listings on its external marketplace (listed, delisted, error
// with the reason and what blocks it, the price and stock last published, when) and its last reconciliation.
import { api } from '../api.js';
import { badge, cents, clear, h, notice, num, time } from '../dom.js';
import { filterForm, serverTable } from '../table.js';

export const title = 'Offers';
const STATUSES = ['pending', 'suggested', 'bound', 'held', 'error'];

const LISTING_STATUSES = ['listed', 'delisted', 'error'];

export function render(main, ctx) {
  if (!ctx.query.connection) {
    renderOffers(main, ctx);
    return;
  }
  api.get('/connections').then((answer) => {
    if (!ctx.alive()) return;
    const picked = (answer.items || []).find((c) => c.id === ctx.query.connection);
    if (picked && picked.role === 'marketplace') renderListings(main, ctx);
    else renderOffers(main, ctx);
  }, () => {
    if (ctx.alive()) renderOffers(main, ctx);
  });
}

function renderListings(main, ctx) {
  const connection = ctx.query.connection;
  const counts = h('div', { class: 'chips', id: 'offer-counts' });
  const reconciliation = h('div', { id: 'reconciliation', dataset: { test: 'reconciliation' } });
  main.append(
    h('div', { class: 'view-head' }, h('h1', {}, 'Listings on ', h('code', {}, connection))),
    counts,
    reconciliation,
    filterForm({
      id: 'offer-filter', ctx, fields: [
        { name: 'status', label: 'Status', type: 'select', options: [['', 'Any']].concat(LISTING_STATUSES.map((s) => [s, s])) },
        { name: 'sku', label: 'SKU starts with', placeholder: 'e.g. 2001773' },
        { name: 'reason', label: 'Reason contains', placeholder: 'e.g. category' },
      ],
    }),
    serverTable({
      id: 'offer-table', ctx, defaultSort: 'sku,asc', empty: 'No listing matches these filters.',
      columns: [
        { key: 'sku', label: 'SKU', sort: 'sku', cell: (o) => h('code', {}, o.sku) },
        { key: 'status', label: 'Status', sort: 'status', cell: (o) => badge(o.status) },
        { key: 'reason', label: 'Reason', sort: 'reason', class: 'error-text',
          cell: (o) => h('span', { dataset: { test: 'offer-reason' } }, o.reason || '') },
        { key: 'blockedBy', label: 'Blocked by', sort: 'blockedBy', cell: (o) => o.blockedBy ? h('code', {}, o.blockedBy) : '' },
        { key: 'price', label: 'Price published', sort: 'price', class: 'num', cell: (o) => cents(o.price) },
        { key: 'listPrice', label: 'List price', class: 'num', cell: (o) => cents(o.listPrice) },
        { key: 'stock', label: 'Stock published', sort: 'stock', class: 'num', cell: (o) => num(o.stock) },
        { key: 'changedAt', label: 'Changed', sort: 'changedAt', first: 'desc', cell: (o) => time(o.changedAt) },
        { key: 'updatedAt', label: 'Updated', sort: 'updatedAt', first: 'desc', cell: (o) => time(o.updatedAt) },
      ],
      row: (o) => ({ dataset: { test: 'offer-row', sku: o.sku, status: o.status } }),
      load: async (paging) => {
        const answer = await api.get('/offers', {
          connection, status: ctx.query.status, sku: ctx.query.sku, reason: ctx.query.reason, ...paging,
        });
        if (ctx.alive()) showCounts(counts, answer.counts || {}, ctx, LISTING_STATUSES);
        return answer;
      },
    }));
  showReconciliation(reconciliation, connection, ctx);
}

async function showReconciliation(el, connection, ctx) {
  let run = null;
  try {
    run = await api.get('/reconciliation', { connection });
  } catch {
    run = null; // none yet (404)
  }
  if (!ctx.alive()) return;
  const button = h('button', { type: 'button', class: 'small', dataset: { test: 'reconcile-now' },
    title: 'Read every SKU of the sales channel from the store and publish what differs',
    onclick: async () => {
      button.disabled = true;
      try {
        await api.post('/reconciliation', { connection });
      } catch (failure) {
        clear(el).append(notice('error', failure.message));
        return;
      }
      showReconciliation(el, connection, ctx);
    } }, 'Reconcile now');
  clear(el).append(h('p', {}, run
    ? ['Last reconciliation ', badge(run.status), ' started ', time(run.startedAt), ': ', num(run.read), ' read, ',
      num(run.republished), ' republished, ', num(run.unchanged), ' unchanged, ', num(run.delisted), ' delisted, ',
      num(run.failed), ' failed, ', num(run.pending), ' pending', run.error ? ' — ' + run.error : '',
      run.nextDueAt ? '; next ' + time(run.nextDueAt) : '', ' ']
    : ['No reconciliation ran yet. '], button));
}

function renderOffers(main, ctx) {
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
        if (ctx.alive()) showCounts(counts, answer.counts || {}, ctx, STATUSES);
        return answer;
      },
    }));
}

function showCounts(el, counts, ctx, statuses) {
  clear(el).append(...statuses.map((status) => h('a', {
    href: '#/offers?status=' + status + (ctx.query.connection ? '&connection=' + encodeURIComponent(ctx.query.connection) : ''), class: 'chip' + (ctx.query.status === status ? ' active' : ''),
    dataset: { test: 'offer-count', status },
  }, badge(status), ' ', num(counts[status] || 0))));
}
