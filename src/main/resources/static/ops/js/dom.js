// Building blocks of the views: elements built with text nodes only (never HTML strings, since payloads and error
// texts come from outside systems), and formatting of times, ages and amounts.

/** h('a', {href: '#/x', class: 'c', dataset: {test: 'y'}, onclick: fn}, 'text', child, [more]) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'value' || key === 'checked' || key === 'disabled' || key === 'hidden') el[key] = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

export const dash = '—';

/** Local date and time as 2026-05-01 10:00:00 (unambiguous in every locale); the ISO instant as tooltip. */
export function time(iso) {
  if (!iso) return dash;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n) => String(n).padStart(2, '0');
  return h('time', { datetime: iso, title: iso }, `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} `
    + `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`);
}

/** "3 min ago" style age of an instant, with the instant as tooltip. */
export function ago(iso) {
  if (!iso) return dash;
  const seconds = (Date.now() - new Date(iso).getTime()) / 1000;
  return h('time', { datetime: iso, title: iso }, duration(seconds) + ' ago');
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return dash;
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min';
  if (s < 86400) return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
  return Math.floor(s / 86400) + ' d ' + Math.floor((s % 86400) / 3600) + ' h';
}

/** Integer cents as an amount with two decimals (the protocol's unit is cents). */
export function cents(value) {
  if (value === null || value === undefined) return dash;
  return (value / 100).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

export function num(value) {
  return value === null || value === undefined ? dash : Number(value).toLocaleString();
}

/** A status word as a coloured badge; the colour follows what the word means. */
export function badge(status) {
  if (status === null || status === undefined) return dash;
  const word = String(status);
  const tone = {
    FAILED: 'bad', DOWN: 'bad', ERROR: 'bad', REFUSED: 'bad', SEND_FAILED: 'bad', CANCELED: 'muted', CANCELLED: 'muted',
    REPLAYED: 'good', UP: 'good', BOUND: 'good', DONE: 'good', ACCEPTED: 'good', DELIVERED: 'good', RELOADED: 'good', OK: 'good',
    DISCARDED: 'muted', UNKNOWN: 'muted', EXPIRED: 'muted', SKIPPED: 'muted', PENDING: 'warn', HELD: 'warn',
    RUNNING: 'warn', SUGGESTED: 'info', RESERVED: 'info', READY_FOR_HANDLING: 'info', INVOICED: 'info',
    PARTIALLY_INVOICED: 'info', SHIPPED: 'info', RETURNED: 'warn', REPEATED: 'muted', LISTED: 'good', DELISTED: 'muted',
    QUEUED: 'info',
  }[word.toUpperCase()] || 'muted';
  return h('span', { class: 'badge ' + tone }, word);
}

/** Pretty JSON when the text is JSON, else the text itself. */
export function pretty(text) {
  if (text === null || text === undefined) return '';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return String(text);
  }
}

/** A message line above a view's content: kind is 'error', 'ok' or 'note'. */
export function notice(kind, ...text) {
  return h('p', { class: 'notice ' + kind, role: kind === 'error' ? 'alert' : 'status' }, ...text);
}

/** One label and value of a <dl class="facts">. */
export function fact(label, value) {
  return [h('dt', {}, label), h('dd', {}, value)];
}
