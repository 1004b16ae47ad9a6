// The console's shell: hash routing (#/view/id?filters), the login gate, the navigation bar and the connection
// picker. The picked connection is the address's connection=<id>, which every view passes to the API calls that take
// it; once picked it stays while the operator moves between views, until "All connections" is picked.
import { api, query as queryString, token } from './api.js';
import { clear, h, notice } from './dom.js';
import * as login from './views/login.js';
import * as dashboard from './views/dashboard.js';
import * as failed from './views/failed.js';
import * as offers from './views/offers.js';
import * as orders from './views/orders.js';
import * as mappings from './views/mappings.js';
import * as routes from './views/routes.js';
import * as audit from './views/audit.js';
import * as connections from './views/connections.js';

const VIEWS = { login, dashboard, failed, offers, orders, mappings, routes, audit, connections };
const main = document.getElementById('view');
const picker = document.getElementById('connection-picker');
let rendering = 0;
let leave = null;
// The picked connection ('' for all); null until the first view took it from the address.
let picked = null;
let pickerLoaded = false;

function parse() {
  const raw = location.hash.replace(/^#/, '');
  const [path, search] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { parts, query: Object.fromEntries(new URLSearchParams(search || '')) };
}

function href(parts, query) {
  return '#/' + parts.map(encodeURIComponent).join('/') + queryString(query);
}

export function open(path, query) {
  location.hash = href(path.split('/').filter(Boolean), query);
}

/** The picker's options: every connection the engine has, plus the address's one should it not be among them. */
async function loadPicker() {
  pickerLoaded = true;
  try {
    const answer = await api.get('/connections');
    for (const connection of answer.items || []) {
      if (!picker.querySelector(`option[value="${CSS.escape(connection.id)}"]`)) {
        picker.append(h('option', { value: connection.id }, connection.id + (connection.enabled ? '' : ' (disabled)')));
      }
    }
  } catch {
    pickerLoaded = false;
  }
  showPicked();
}

function showPicked() {
  if (picked && !picker.querySelector(`option[value="${CSS.escape(picked)}"]`)) {
    picker.append(h('option', { value: picked }, picked + ' (unknown)'));
  }
  picker.value = picked || '';
}

function render() {
  const route = parse();
  const name = route.parts[0] || 'dashboard';
  if (name !== 'login' && !token.get()) {
    location.replace(href(['login'], { then: location.hash.replace(/^#/, '') }));
    return;
  }
  if (name !== 'login') {
    const inAddress = route.query.connection || '';
    if (picked === null || inAddress) picked = inAddress;
    else if (picked) {
      // a link without the connection (the navigation, a link in a view): keep the one picked
      location.replace(href(route.parts, { ...route.query, connection: picked }));
      return;
    }
    if (!pickerLoaded) loadPicker();
    showPicked();
  }
  const view = VIEWS[name];
  const current = ++rendering;
  if (leave) {
    leave();
    leave = null;
  }
  document.getElementById('topbar').hidden = name === 'login';
  for (const link of document.querySelectorAll('#nav a')) {
    link.href = href([link.dataset.view], { connection: picked });
    link.classList.toggle('active', link.dataset.view === name);
    if (link.dataset.view === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  clear(main);
  if (!view) {
    main.append(notice('error', 'There is no view ', h('code', {}, name), '. ', h('a', { href: '#/dashboard' }, 'Go to the dashboard')));
    return;
  }
  const ctx = {
    parts: route.parts,
    query: route.query,
    alive: () => current === rendering,
    // Same view, filters changed: empty values are dropped from the address.
    go: (changes) => {
      location.hash = href(route.parts, { ...route.query, ...changes });
    },
    open,
    onLeave: (fn) => {
      leave = fn;
    },
  };
  document.title = (view.title || name) + ' · vtex-bridge ops';
  view.render(main, ctx);
}

picker.addEventListener('change', () => {
  picked = picker.value;
  // a detail page is about one thing; another connection's figures are its view's list
  const parts = parse().parts.slice(0, 1);
  const { query } = parse();
  location.hash = href(parts.length ? parts : ['dashboard'], { ...query, connection: picked, page: '' });
});
window.addEventListener('hashchange', render);
window.addEventListener('ops:unauthorized', () => {
  if ((parse().parts[0] || '') !== 'login') {
    location.hash = href(['login'], { then: location.hash.replace(/^#/, ''), refused: 'true' });
  }
});
document.getElementById('logout').addEventListener('click', () => {
  token.clear();
  pickerLoaded = false;
  location.hash = '#/login';
});
render();
