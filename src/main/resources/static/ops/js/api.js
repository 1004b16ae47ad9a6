// The ops API client: every call carries the token the operator pasted (kept for this browser tab only, in
// sessionStorage); a 401 forgets it and sends the operator back to the login view.

const TOKEN_KEY = 'vtex-bridge.ops-token';
// Relative to the console's own address (/ops/), so a proxy that serves the engine under a prefix keeps working.
const BASE = 'api';

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (value) => sessionStorage.setItem(TOKEN_KEY, value),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** An answer other than 2xx: status, the API's error code and message, and the parsed body when it was JSON. */
export class ApiFailure extends Error {
  constructor(status, error, message, body) {
    super(message);
    this.status = status;
    this.error = error;
    this.body = body;
  }
}

/** Query string of the non-empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== '') search.set(key, value);
  }
  const text = search.toString();
  return text ? '?' + text : '';
}

async function call(method, path, params, body) {
  const headers = { Accept: 'application/json', Authorization: 'Bearer ' + (token.get() || '') };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(BASE + path + query(params), {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store',
    });
  } catch (e) {
    throw new ApiFailure(0, 'unreachable', 'the engine did not answer (' + e.message + ')');
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (response.status === 401) {
    token.clear();
    window.dispatchEvent(new CustomEvent('ops:unauthorized'));
  }
  if (!response.ok) {
    const message = (json && json.message) || text || response.statusText || ('HTTP ' + response.status);
    throw new ApiFailure(response.status, (json && json.error) || 'http_' + response.status, message, json);
  }
  return json;
}

export const api = {
  get: (path, params) => call('GET', path, params),
  post: (path, params, body) => call('POST', path, params, body),
};
