// The REST API (/api/v1) with the signed-in key. Failures become ApiError carrying the API's JSON error
// ({"error":{"code","message"}}) so every view can show the server's own reason.
import { apiKey } from './session.js';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Fired on window when a request is refused for its key (401): the app signs out and says why. */
export const UNAUTHORIZED = 'console:unauthorized';

/** method, path under /api/v1, optional JSON body; `key` overrides the stored key (the sign-in check). */
export async function api(method, path, body, key = apiKey()) {
  const headers = { Accept: 'application/json' };
  if (key) headers.Authorization = 'Bearer ' + key;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch('/api/v1' + path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store', credentials: 'omit',
    });
  } catch (err) {
    throw new ApiError(0, 'NETWORK', 'The server cannot be reached (' + err.message + ')');
  }
  let json = null;
  try {
    json = await res.json();
  } catch {
    // an empty or non-JSON body: the status says enough
  }
  if (!res.ok) {
    const e = (json && json.error) || {};
    const err = new ApiError(res.status, e.code || 'HTTP_' + res.status, e.message || res.statusText || 'request failed');
    if (res.status === 401 && key === apiKey()) window.dispatchEvent(new CustomEvent(UNAUTHORIZED, { detail: err }));
    throw err;
  }
  return json;
}

/** Path segment from an id the API gave us (never trusted to be URL-safe). */
export const seg = (id) => encodeURIComponent(id);
