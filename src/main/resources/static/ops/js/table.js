// Tables whose paging and sorting the server does, and the filter forms above them. Their state (filters, page,
// size, sort) lives in the address's hash, so reload, back and a shared link show the same rows.
import { h, clear, notice } from './dom.js';

const PAGE_SIZES = [25, 50, 100, 200];

function int(value, fallback) {
  const n = Number.parseInt(value, 10);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

/**
 * options: id; columns [{key, label, sort (API column name, when the server sorts by it), first ('asc'|'desc', the
 * direction of a first click), cell(item) → node or text, class}]; ctx (the view's route: query and go); defaultSort
 * (what the server sorts by when none is asked); load({page, size, sort}) → Promise of {items, total};
 * row(item) → attributes of its <tr> (e.g. a click target); empty (text when no row matches).
 */
export function serverTable(options) {
  const { ctx } = options;
  const state = {
    page: int(ctx.query.page, 0),
    size: int(ctx.query.size, options.pageSize || 50),
    sort: ctx.query.sort || '',
  };
  const [sortColumn, sortDirection] = (state.sort || options.defaultSort || '').split(',');
  const wrap = h('div', { class: 'table-block', id: options.id, dataset: { test: 'table', state: 'loading' } });
  const table = h('table', { class: 'data' });
  const head = h('tr', {}, options.columns.map((column) => header(column)));
  const body = h('tbody', {}, h('tr', {}, h('td', { colspan: options.columns.length, class: 'loading' }, 'Loading…')));
  table.append(h('thead', {}, head), body);
  const pager = h('div', { class: 'pager', dataset: { test: 'pager' } });
  wrap.append(h('div', { class: 'scroll' }, table), pager);

  function header(column) {
    if (!column.sort) return h('th', { class: column.class === 'num' ? 'num' : undefined }, column.label);
    const active = column.sort === sortColumn;
    const direction = active ? (sortDirection || 'asc') : null;
    const next = active ? (direction === 'asc' ? 'desc' : 'asc') : (column.first || 'asc');
    return h('th', {
      class: column.class === 'num' ? 'sortable num' : 'sortable',
      'aria-sort': active ? (direction === 'asc' ? 'ascending' : 'descending') : 'none',
    }, h('button', {
      type: 'button', class: 'sort', dataset: { test: 'sort', sort: column.sort }, title: 'Sort by ' + column.label,
      onclick: () => ctx.go({ sort: column.sort + ',' + next, page: '' }),
    }, column.label, h('span', { class: 'arrow', 'aria-hidden': 'true' }, active ? (direction === 'asc' ? '▲' : '▼') : '↕')));
  }

  options.load({ page: state.page, size: state.size, sort: state.sort || undefined }).then((answer) => {
    if (!ctx.alive()) return;
    clear(body);
    const items = answer.items || [];
    if (items.length === 0) {
      body.append(h('tr', {}, h('td', { colspan: options.columns.length, class: 'empty' }, options.empty || 'Nothing matches.')));
    }
    for (const item of items) {
      const attrs = options.row ? options.row(item) : {};
      body.append(h('tr', attrs, options.columns.map((column) => {
        const value = column.cell ? column.cell(item) : item[column.key];
        return h('td', { class: column.class, dataset: { col: column.key } }, value === undefined || value === null ? '—' : value);
      })));
    }
    renderPager(answer.total ?? items.length, items.length);
    wrap.dataset.state = 'ready';
  }, (failure) => {
    if (!ctx.alive()) return;
    clear(body);
    body.append(h('tr', {}, h('td', { colspan: options.columns.length }, notice('error', failure.message))));
    wrap.dataset.state = 'failed';
  });

  function renderPager(total, shown) {
    const pages = Math.max(1, Math.ceil(total / state.size));
    const first = total === 0 ? 0 : state.page * state.size + 1;
    clear(pager).append(
      h('span', { class: 'range', dataset: { test: 'range' } },
        total === 0 ? 'No rows' : `Rows ${first}–${state.page * state.size + shown} of ${total.toLocaleString()}`),
      h('span', { class: 'spacer' }),
      h('label', {}, 'Rows per page ', h('select', {
        dataset: { test: 'page-size' }, onchange: (e) => ctx.go({ size: e.target.value, page: '' }),
      }, PAGE_SIZES.concat(PAGE_SIZES.includes(state.size) ? [] : [state.size]).map((size) =>
        h('option', { value: String(size), selected: size === state.size }, String(size))))),
      h('button', {
        type: 'button', dataset: { test: 'page-prev' }, disabled: state.page === 0,
        onclick: () => ctx.go({ page: String(state.page - 1) }),
      }, '‹ Previous'),
      h('span', { class: 'page-of' }, `Page ${Math.min(state.page + 1, pages)} of ${pages}`),
      h('button', {
        type: 'button', dataset: { test: 'page-next' }, disabled: state.page + 1 >= pages,
        onclick: () => ctx.go({ page: String(state.page + 1) }),
      }, 'Next ›'),
    );
  }

  return wrap;
}

export const WINDOWS = [['', 'Any time'], ['15m', 'Last 15 min'], ['1h', 'Last hour'], ['24h', 'Last 24 h'], ['7d', 'Last 7 days'],
  ['custom', 'Between…']];
const WINDOW_SECONDS = { '15m': 900, '1h': 3600, '24h': 86400, '7d': 604800 };

/** since/until of a view's query: a relative window (counted back from now, at every load) or explicit instants. */
export function timeRange(query) {
  if (WINDOW_SECONDS[query.window]) {
    return { since: new Date(Date.now() - WINDOW_SECONDS[query.window] * 1000).toISOString(), until: undefined };
  }
  return query.window === 'custom' ? { since: query.since, until: query.until } : {};
}

function toLocalInput(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * A filter form whose values go into the hash (page back to the first). fields: [{name, label, type: 'text' | 'select'
 * | 'checkbox' | 'window', options: [[value, label]], placeholder}]. 'window' adds window, since and until.
 */
export function filterForm({ id, fields, ctx }) {
  const controls = [];
  const form = h('form', { class: 'filters', id, role: 'search' });
  for (const field of fields) {
    const inputId = id + '-' + field.name;
    if (field.type === 'select') {
      const select = h('select', { id: inputId, name: field.name },
        field.options.map(([value, label]) => h('option', { value, selected: (ctx.query[field.name] || '') === value }, label)));
      controls.push(select);
      form.append(h('label', { for: inputId }, field.label, select));
    } else if (field.type === 'checkbox') {
      const box = h('input', { id: inputId, name: field.name, type: 'checkbox', checked: ctx.query[field.name] === 'true' });
      controls.push(box);
      form.append(h('label', { for: inputId, class: 'check' }, box, field.label));
    } else if (field.type === 'window') {
      const since = h('input', { id: id + '-since', name: 'since', type: 'datetime-local', value: toLocalInput(ctx.query.since) });
      const until = h('input', { id: id + '-until', name: 'until', type: 'datetime-local', value: toLocalInput(ctx.query.until) });
      const between = h('span', { class: 'between', hidden: ctx.query.window !== 'custom' },
        h('label', { for: since.id }, 'From', since), h('label', { for: until.id }, 'To', until));
      const select = h('select', {
        id: id + '-window', name: 'window', onchange: () => { between.hidden = select.value !== 'custom'; },
      }, WINDOWS.map(([value, label]) => h('option', { value, selected: (ctx.query.window || '') === value }, label)));
      controls.push(select, since, until);
      form.append(h('label', { for: select.id }, field.label || 'Time', select), between);
    } else {
      const input = h('input', {
        id: inputId, name: field.name, type: 'search', value: ctx.query[field.name] || '', placeholder: field.placeholder || '',
        autocomplete: 'off', spellcheck: 'false',
      });
      controls.push(input);
      form.append(h('label', { for: inputId }, field.label, input));
    }
  }
  form.append(h('span', { class: 'actions' },
    h('button', { type: 'submit', class: 'primary', id: id + '-apply' }, 'Apply'),
    h('button', {
      type: 'button', class: 'quiet', id: id + '-clear',
      onclick: () => ctx.go(clearAll(controls)),
    }, 'Clear')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    ctx.go(values(controls));
  });
  return form;
}

function values(controls) {
  const changes = { page: '' };
  const windowValue = (controls.find((c) => c.name === 'window') || {}).value;
  for (const control of controls) {
    if (control.type === 'checkbox') changes[control.name] = control.checked ? 'true' : '';
    else if (control.type === 'datetime-local') {
      changes[control.name] = windowValue === 'custom' && control.value ? new Date(control.value).toISOString() : '';
    } else changes[control.name] = control.value.trim();
  }
  return changes;
}

function clearAll(controls) {
  const changes = { page: '' };
  for (const control of controls) changes[control.name] = '';
  return changes;
}
