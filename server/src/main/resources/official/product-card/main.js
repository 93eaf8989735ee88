// Product card: the product the broadcaster pinned, shown when the container delivers the pin, which it does when the
// pinned moment plays (product.pin is a synced topic), and a buy button that creates an order. Until the server offers
// orders the button says so politely instead of failing.
import { attachEmitter } from '/sdk/component.js';

const empty = document.getElementById('empty');
const card = document.getElementById('card');
const image = document.getElementById('image');
const title = document.getElementById('title');
const price = document.getElementById('price');
const note = document.getElementById('note');
const buy = document.getElementById('buy');
let product = null;
let locale;

const REFUSALS = {
  unavailable: 'Not on sale here right now.',
  sold_out: 'Sold out.',
  limit_reached: 'You have bought as many as allowed.',
  unauthorized: 'Sign in to buy.',
  forbidden: 'Buying is not offered in this app.',
  rate_limited: 'One moment…',
  timeout: 'No answer; try again.',
};

/** A fresh idempotency key per tap (getRandomValues works outside secure contexts too, unlike randomUUID). */
function orderKey() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Prices are integers in the currency's minor units (cents for EUR, yen for JPY), as commerce stores them. */
function formatPrice(p) {
  if (typeof p === 'number') {
    const format = new Intl.NumberFormat(locale, { style: 'currency', currency: product?.currency ?? 'EUR' });
    return format.format(p / 10 ** format.resolvedOptions().maximumFractionDigits);
  }
  return p == null ? '' : String(p);
}

function show(p) {
  if (!p || !p.productId) {
    product = null;
    card.hidden = true;
    empty.hidden = false;
    document.body.dataset.product = '';
    return;
  }
  product = p;
  title.textContent = p.title ?? p.productId;
  price.textContent = formatPrice(p.price);
  note.textContent = '';
  // only images the bundle's CSP allows (data: URLs and the component origin) load; anything else shows an icon
  image.style.backgroundImage = typeof p.image === 'string' && p.image.startsWith('data:image/') ? `url("${p.image}")` : '';
  image.classList.toggle('placeholder', !image.style.backgroundImage);
  empty.hidden = true;
  card.hidden = false;
  document.body.dataset.product = p.productId;
}

const live = attachEmitter({
  async onInit(ctx) {
    locale = ctx.locale;
    try {
      show((await live.call('product.current')).product);
    } catch {
      // nothing pinned can be read yet; the next pin shows
    }
  },
  onMessage(topic, data) {
    if (topic === 'product.pin') {
      show(data);
    }
  },
}, { rpc: true });

title.addEventListener('click', () => {
  if (product) {
    live.call('host.open', { target: 'product', params: { productId: product.productId } }).catch(() => {});
  }
});

buy.addEventListener('click', async () => {
  if (!product) {
    return;
  }
  buy.disabled = true;
  note.textContent = '';
  try {
    const { order } = await live.call('order.create', { productId: product.productId, quantity: 1, idempotencyKey: orderKey() });
    note.textContent = 'Ordered ✓ ' + (order?.id ?? '');
    live.call('host.open', { target: 'checkout', params: { orderId: order?.id } }).catch(() => {});
  } catch (e) {
    note.textContent = REFUSALS[e.code] ?? 'Not ordered (' + e.code + ').';
  } finally {
    buy.disabled = false;
  }
});
