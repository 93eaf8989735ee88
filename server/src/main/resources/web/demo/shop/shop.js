// Demo Shop: a shop's page embedding the demo room. It shows what a host app does with <live-room>'s events: the room
// state in its header, a cart that opens when a component asks (host.open), errors as a toast.
import { mountDemoRoom, toast } from '../demo-session.js';

const state = document.getElementById('state');
const who = document.getElementById('who');
const cartCount = document.getElementById('cart-count');
let inCart = 0;

document.getElementById('cart').addEventListener('click', () => toast(inCart ? inCart + ' item(s) in your cart' : 'Your cart is empty'));

try {
  const room = await mountDemoRoom(document.getElementById('room-slot'), 'shop', (viewer) => { who.textContent = 'Hi, ' + viewer.name; });
  room.addEventListener('state', (e) => {
    state.textContent = e.detail.state;
    state.dataset.state = e.detail.state;
  });
  room.addEventListener('open', (e) => {
    e.preventDefault(); // this page handles it: the component learns { handled: true }
    if (e.detail.target === 'checkout' || e.detail.target === 'cart') {
      inCart++;
      cartCount.textContent = String(inCart);
      toast('Added to your cart');
    } else {
      toast('Opening ' + e.detail.target + (e.detail.params?.productId ? ' ' + e.detail.params.productId : ''));
    }
  });
  room.addEventListener('error', (e) => console.warn('live-room:', e.detail.code, e.detail.message));
} catch (e) {
  state.textContent = 'unavailable';
  toast(e.message);
}
