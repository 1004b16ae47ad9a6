// Mappings: the files in force (and why a changed one is not), and the completeness report: ERP categories, brands
// and attributes without a mapping, and the SKUs they block (paged and sorted by the engine).
import { api } from '../api.js';
import { badge, clear, h, notice, num, time } from '../dom.js';
import { serverTable } from '../table.js';

export const title = 'Mappings';

export function render(main, ctx) {
  const files = h('div', { id: 'mapping-files' }, h('p', { class: 'loading' }, 'Loading…'));
  const unmapped = h('div', { class: 'columns', id: 'mapping-unmapped' });
  const scanned = h('span', { class: 'muted' });
  const message = h('div', { id: 'mapping-message' });
  const reload = h('button', { type: 'button', id: 'mapping-reload' }, 'Reload mapping files');
  reload.addEventListener('click', async () => {
    reload.disabled = true;
    try {
      const answer = await api.post('/mappings/reload');
      const broken = (answer.files || []).filter((file) => file.error);
      clear(message).append(broken.length
        ? notice('error', `${broken.length} file(s) could not be loaded; their previous version stays in force.`)
        : notice('ok', answer.changed ? 'New mapping files are in force.' : 'No mapping file changed.'));
      showFiles(files, answer.files || []);
    } catch (failure) {
      clear(message).append(notice('error', failure.message));
    }
    reload.disabled = false;
  });

  main.append(
    h('div', { class: 'view-head' }, h('h1', {}, 'Mappings'), reload),
    message,
    h('section', { class: 'card' }, h('h2', {}, 'Files'), files),
    h('h2', {}, 'Completeness ', scanned),
    unmapped,
    h('section', { class: 'card' }, h('h2', {}, 'Blocked SKUs'),
      serverTable({
        id: 'blocked-table', ctx, defaultSort: 'sku,asc', empty: 'No SKU is blocked by a missing mapping.',
        columns: [
          { key: 'sku', label: 'SKU', sort: 'sku', cell: (s) => h('a', { href: '#/offers?sku=' + encodeURIComponent(s.sku) }, s.sku) },
          { key: 'blockedBy', label: 'Blocked by', sort: 'blockedBy', cell: (s) => (s.blockedBy || []).map((b) => h('code', { class: 'tag' }, b)) },
          { key: 'errors', label: 'Mapping errors', class: 'error-text',
            cell: (s) => (s.errors || []).map((e) => h('div', {}, h('code', {}, e.field), ': ', e.problem)) },
        ],
        row: (s) => ({ dataset: { test: 'blocked-row', sku: s.sku } }),
        load: async (paging) => {
          // with a connection picked, its overlay's completeness (the engine's default: connection default's)
          const report = await api.get('/mappings/completeness', { connection: ctx.query.connection, ...paging });
          if (ctx.alive()) {
            scanned.textContent = `· ${num(report.scannedSkus)} ERP SKUs scanned`;
            showUnmapped(unmapped, report);
          }
          return { items: report.blockedSkus, total: report.blockedTotal };
        },
      })));

  api.get('/mappings').then((list) => ctx.alive() && showFiles(files, list),
    (failure) => ctx.alive() && clear(files).append(notice('error', failure.message)));
}

function showFiles(el, list) {
  clear(el).append(h('table', { class: 'data compact' },
    h('thead', {}, h('tr', {}, h('th', {}, 'File'), h('th', {}, 'State'), h('th', {}, 'Loaded'), h('th', {}, 'Error'))),
    h('tbody', {}, list.map((file) => h('tr', { dataset: { test: 'mapping-file' } },
      h('td', {}, h('code', {}, file.file)), h('td', {}, badge(file.error ? 'ERROR' : (file.loaded ? 'OK' : 'MISSING'))),
      h('td', {}, time(file.loadedAt)), h('td', { class: 'error-text' }, file.error || ''))))));
}

function showUnmapped(el, report) {
  const section = (title, id, rows, label) => h('section', { class: 'card', id },
    h('h3', {}, title, ' ', h('span', { class: 'muted' }, String(rows.length))),
    rows.length === 0 ? h('p', { class: 'muted' }, 'All mapped.')
      : h('table', { class: 'data compact' },
        h('thead', {}, h('tr', {}, h('th', {}, label), h('th', { class: 'num' }, 'SKUs'))),
        h('tbody', {}, rows.map((row) => h('tr', {},
          h('td', {}, row.erpId ? [h('code', {}, row.erpId), ' ', row.name] : [h('code', {}, row.name), row.blocks ? ' (blocks)' : '']),
          h('td', { class: 'num' }, num(row.skus)))))));
  clear(el).append(
    section('Unmapped categories', 'unmapped-categories', report.unmappedCategories || [], 'ERP category'),
    section('Unmapped brands', 'unmapped-brands', report.unmappedBrands || [], 'ERP brand'),
    section('Unmapped attributes', 'unmapped-attributes', report.unmappedAttributes || [], 'Attribute'));
}
