// Audit trail: every replay, discard, mapping reload and route reload, with who (the ops token's name), when, on what
// and the result. With a connection picked, only the entries about its failed messages, orders and replays.
import { api } from '../api.js';
import { badge, h, time } from '../dom.js';
import { filterForm, serverTable } from '../table.js';

export const title = 'Audit';
const ACTIONS = ['REPLAY', 'BULK_REPLAY', 'DISCARD', 'MAPPING_RELOAD', 'ROUTE_RELOAD'];
const SINCE = { '1h': 3600, '24h': 86400, '7d': 604800 };

export function render(main, ctx) {
  main.append(
    h('div', { class: 'view-head' }, h('h1', {}, 'Audit trail')),
    filterForm({
      id: 'audit-filter', ctx, fields: [
        { name: 'action', label: 'Action', type: 'select', options: [['', 'Any']].concat(ACTIONS.map((a) => [a, a])) },
        { name: 'actor', label: 'Actor', placeholder: 'token name' },
        { name: 'target', label: 'Target contains' },
        { name: 'since', label: 'When', type: 'select', options: [['', 'Any time'], ['1h', 'Last hour'], ['24h', 'Last 24 h'], ['7d', 'Last 7 days']] },
      ],
    }),
    serverTable({
      id: 'audit-table', ctx, defaultSort: 'happenedAt,desc', empty: 'No audit entry matches these filters.',
      columns: [
        { key: 'happenedAt', label: 'When', sort: 'happenedAt', first: 'desc', cell: (e) => time(e.happenedAt) },
        { key: 'actor', label: 'Actor', sort: 'actor' },
        { key: 'action', label: 'Action', sort: 'action', cell: (e) => h('code', {}, e.action) },
        { key: 'target', label: 'Target', sort: 'target' },
        { key: 'result', label: 'Result', sort: 'result', cell: (e) => badge(e.result) },
        { key: 'detail', label: 'Detail', class: 'error-text' },
      ],
      row: (e) => ({ dataset: { test: 'audit-row', action: e.action } }),
      load: (paging) => api.get('/audit', {
        connection: ctx.query.connection, action: ctx.query.action, actor: ctx.query.actor, target: ctx.query.target,
        since: SINCE[ctx.query.since] ? new Date(Date.now() - SINCE[ctx.query.since] * 1000).toISOString() : undefined,
        ...paging,
      }),
    }));
}
