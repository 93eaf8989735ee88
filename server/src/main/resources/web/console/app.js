// The console's shell: who is signed in, and which view the hash names (#/rooms, #/rooms/ID). Hash routing keeps every
// page one static file, and a view returns a function that stops its timers when the route changes.
import { apiKey, signOut } from './session.js';
import { UNAUTHORIZED } from './api.js';
import { show } from './dom.js';
import { signInView, signedInAs } from './signin.js';
import { roomsView } from './rooms.js';
import { roomView } from './room.js';

const view = document.getElementById('view');
const who = document.getElementById('who');
const signOutButton = document.getElementById('sign-out');
let leave = () => {};

function route() {
  leave();
  leave = () => {};
  if (!apiKey()) {
    header(null);
    leave = signInView(view, (principal) => {
      header(principal);
      // a link to a room opened before signing in still leads there
      if (location.hash.startsWith('#/rooms')) route();
      else location.hash = '#/rooms';
    }, notice);
    notice = null;
    return;
  }
  const m = /^#\/rooms\/([^/]+)$/.exec(location.hash);
  leave = m ? roomView(view, decodeURIComponent(m[1])) : roomsView(view);
}

function header(principal) {
  who.textContent = principal ? principal.name + ' · ' + principal.role : '';
  signOutButton.hidden = !principal;
}

// a message for the sign-in page after a key stops working
let notice = null;

signOutButton.addEventListener('click', () => {
  signOut();
  route();
});
window.addEventListener(UNAUTHORIZED, (e) => {
  signOut();
  notice = 'Signed out: ' + e.detail.message;
  route();
});
window.addEventListener('hashchange', route);

// a reload keeps the tab's key: show who it is, or sign out if it no longer works
if (apiKey()) {
  signedInAs().then(header, () => {});
}
show(view);
route();
