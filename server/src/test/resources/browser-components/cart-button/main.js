// A third-party component with one button: cart.add for the product named in its instance config, quantity 2. What the
// call answered (or the error code) lands in window.cartResult, for the browser test to read inside this frame.
import { attachEmitter } from '/sdk/component.js';

let productId = null;
const button = document.getElementById('add');

const live = attachEmitter({
  onInit(ctx) {
    productId = ctx.config.productId;
    button.disabled = false;
  },
}, { rpc: true });

button.addEventListener('click', async () => {
  try {
    window.cartResult = await live.call('cart.add', { productId, quantity: 2 });
  } catch (e) {
    window.cartResult = { error: e.code };
  }
  document.getElementById('out').textContent = JSON.stringify(window.cartResult);
});
