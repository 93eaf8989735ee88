// One way to build elements, so data from the API only ever becomes text: strings are appended as text nodes and the
// `text` property sets textContent. There is no innerHTML anywhere in the console.

/** h('a', {href, class, text, onclick, dataset}, ...children) */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value == null || value === false) continue;
    if (name === 'text') el.textContent = value;
    else if (name === 'class') el.className = value;
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  el.append(...children.flat().filter((c) => c != null && c !== false).map((c) => (c instanceof Node ? c : String(c))));
  return el;
}

/** Replaces an element's children. */
export function show(el, ...children) {
  el.replaceChildren(...children.flat().filter((c) => c != null && c !== false));
}

/** A message line for a failure, showing the API's own code and message. */
export function errorLine(err) {
  const code = err && err.code ? err.code + ': ' : '';
  return h('p', { class: 'error', role: 'alert', text: code + (err && err.message ? err.message : String(err)) });
}

/** Runs `run` with `button` disabled until it ends; its failure is shown in `messages`, its success clears them. */
export async function busy(button, run, messages) {
  button.disabled = true;
  try {
    await run();
    show(messages);
  } catch (err) {
    show(messages, errorLine(err));
  } finally {
    button.disabled = false;
  }
}

/** A button that runs an async action once at a time ({@link busy}). Returns the button. */
export function action(label, run, messages, cls = '') {
  const b = h('button', { type: 'button', class: cls, text: label });
  b.addEventListener('click', () => busy(b, run, messages));
  return b;
}
