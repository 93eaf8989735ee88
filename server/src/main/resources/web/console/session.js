// The API key lives in sessionStorage only: it goes with the tab, is never written to disk by us (no localStorage) and
// never appears in a URL, where it would reach history, logs and Referer headers.
const KEY = 'openlive.console.apiKey';

export function apiKey() {
  return sessionStorage.getItem(KEY);
}

export function signIn(key) {
  sessionStorage.setItem(KEY, key);
}

export function signOut() {
  sessionStorage.removeItem(KEY);
}
