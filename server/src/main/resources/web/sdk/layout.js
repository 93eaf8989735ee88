// Where each component goes. Four named slots: `overlay` (over the picture), `product-bar` (under the picture),
// `bottom-bar` (under that: inputs, buttons) and `side-panel` (beside the picture on wide screens, below it on phones).
// A part's height comes from its instance configuration (`config.height`), else its manifest (`size.height`), else the
// slot's default; overlay parts also take a width and sit in one of four corners (`config.anchor`).

export const SLOTS = Object.freeze(['overlay', 'product-bar', 'bottom-bar', 'side-panel']);

/** Heights used when neither configuration nor manifest gives one (px). */
const DEFAULT_HEIGHT = { overlay: 48, 'product-bar': 96, 'bottom-bar': 56, 'side-panel': 360 };
const MAX_HEIGHT = { overlay: 400, 'product-bar': 240, 'bottom-bar': 160, 'side-panel': 1200 };
export const ANCHORS = Object.freeze(['top-left', 'top-right', 'bottom-left', 'bottom-right']);

/** The slot a part goes in: the one it was bound to when the container knows it, else `overlay`. */
export function slotOf(part) {
  return SLOTS.includes(part.slot) ? part.slot : 'overlay';
}

/** { width, height } in px; width is null where the slot gives the full width. */
export function sizeOf(part) {
  const slot = slotOf(part);
  const config = part.config && typeof part.config === 'object' ? part.config : {};
  const h = positive(config.height) ?? positive(part.height) ?? DEFAULT_HEIGHT[slot];
  const w = slot === 'overlay' ? positive(config.width) ?? positive(part.width) ?? 200 : null;
  return { width: w, height: Math.min(h, MAX_HEIGHT[slot]) };
}

/**
 * The overlay corner: `config.anchor` when given; else a tall, narrow part (a like button with rising hearts) goes
 * bottom-right, and the others fill top-left, top-right, bottom-left in the order the instance lists them.
 */
export function anchorOf(part, taken) {
  const config = part.config && typeof part.config === 'object' ? part.config : {};
  if (ANCHORS.includes(config.anchor)) {
    return config.anchor;
  }
  const { width, height } = sizeOf(part);
  if (height >= 2 * width) {
    return 'bottom-right';
  }
  const order = ['top-left', 'top-right', 'bottom-left'];
  return order.find((a) => !taken.has(a)) ?? 'top-left';
}

function positive(n) {
  return typeof n === 'number' && n > 0 ? Math.round(n) : null;
}
