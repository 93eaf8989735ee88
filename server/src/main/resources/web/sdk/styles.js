// The shadow DOM style of <live-room>: the picture on top, the product bar and bottom bar under it, the side panel
// beside it from 900 px of element width (a container query, so it follows the element, not the window) and below it
// on phones. Host pages size the element; everything inside follows.

export const STYLE = `
:host { display: block; position: relative; container-type: inline-size; color: #fff; font: 14px/1.4 system-ui, sans-serif; }
:host([hidden]) { display: none; }
.room { display: grid; grid-template-columns: minmax(0, 1fr); gap: 0; background: #0b0b0f; border-radius: inherit; overflow: hidden; }
@container (min-width: 900px) {
  .room { grid-template-columns: minmax(0, 1fr) 340px; grid-template-rows: auto auto auto 1fr; }
  .slot.side-panel { grid-column: 2; grid-row: 1 / span 4; border-left: 1px solid #ffffff1a; }
  .slot.side-panel iframe.component { height: 100% !important; min-height: 360px; }
}
.stage { position: relative; aspect-ratio: 16 / 9; background: #000; overflow: hidden; container-type: size; }
video { position: absolute; inset: 0; width: 100%; height: 100%; object-fit: contain; background: #000; }
iframe.component { display: block; border: 0; width: 100%; background: transparent; color-scheme: normal; }
.slot:empty { display: none; }
.slot.overlay { position: absolute; inset: 0; pointer-events: none; display: block; }
.corner { position: absolute; display: flex; flex-direction: column; gap: 6px; max-width: calc(100% - 16px); pointer-events: none; }
.corner iframe.component { pointer-events: auto; max-width: 100%; max-height: calc(100cqh - 16px); } /* a phone's picture is short */
.corner.top-left { top: 8px; left: 8px; align-items: flex-start; }
.corner.top-right { top: 8px; right: 8px; align-items: flex-end; }
.corner.bottom-left { bottom: 8px; left: 8px; align-items: flex-start; flex-direction: column-reverse; }
.corner.bottom-right { bottom: 8px; right: 8px; align-items: flex-end; flex-direction: column-reverse; }
.slot.product-bar, .slot.bottom-bar { border-top: 1px solid #ffffff14; }
.status { position: absolute; inset: 0; display: grid; place-items: center; text-align: center; padding: 16px;
  background: #000a; font-size: 15px; pointer-events: none; transition: opacity .3s; }
.status[hidden] { display: grid; opacity: 0; }
.status .spinner { width: 28px; height: 28px; margin: 0 auto 10px; border: 3px solid #ffffff40; border-top-color: #fff;
  border-radius: 50%; animation: spin 1s linear infinite; }
.status:not(.busy) .spinner { display: none; }
@keyframes spin { to { transform: rotate(360deg); } }
.unmute { display: inline-flex; align-items: center; gap: 6px; position: absolute; left: 50%; bottom: 14px; transform: translateX(-50%); z-index: 2; border: 0; border-radius: 999px;
  padding: 8px 16px; background: #fff; color: #111; font: 600 14px system-ui, sans-serif; cursor: pointer; box-shadow: 0 2px 8px #0006; }
.unmute[hidden] { display: none; }
`;
