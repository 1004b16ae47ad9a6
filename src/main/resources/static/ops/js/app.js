// The console's shell: hash routing (#/view/id?filters), the login gate and the navigation bar.
import { query as queryString, token } from './api.js';
import { clear, h, notice } from './dom.js';
import * as login from './views/login.js';
import * as dashboard from './views/dashboard.js';
import * as failed from './views/failed.js';
import * as offers from './views/offers.js';
import * as orders from './views/orders.js';
import * as mappings from './views/mappings.js';
import * as routes from './views/routes.js';
import * as audit from './views/audit.js';

const VIEWS = { login, dashboard, failed, offers, orders, mappings, routes, audit };
const main = document.getElementById('view');
let rendering = 0;
let leave = null;

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

function render() {
  const route = parse();
  const name = route.parts[0] || 'dashboard';
  if (name !== 'login' && !token.get()) {
    location.replace(href(['login'], { then: location.hash.replace(/^#/, '') }));
    return;
  }
  const view = VIEWS[name];
  const current = ++rendering;
  if (leave) {
    leave();
    leave = null;
  }
  document.getElementById('topbar').hidden = name === 'login';
  for (const link of document.querySelectorAll('#nav a')) {
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

window.addEventListener('hashchange', render);
window.addEventListener('ops:unauthorized', () => {
  if ((parse().parts[0] || '') !== 'login') {
    location.hash = href(['login'], { then: location.hash.replace(/^#/, ''), refused: 'true' });
  }
});
document.getElementById('logout').addEventListener('click', () => {
  token.clear();
  location.hash = '#/login';
});
render();
