// Brings an FLV stream's bytes in: a binary WebSocket (ws:, wss:; each message a tag) or an HTTP response read as a
// stream (fetch; each chunk whatever the network delivered). Both end in onEnd (the server closed the stream) or
// onError (the connection failed); close() ends it from this side and calls neither.

/**
 * @param url ws(s):// or http(s):// URL of the FLV stream
 * @param events { onData(Uint8Array), onEnd(), onError(message) }
 * @returns { close() }
 */
export function openFlv(url, events) {
  return /^wss?:/i.test(url) ? webSocket(url, events) : httpStream(url, events);
}

function webSocket(url, { onData, onEnd, onError }) {
  let open = true;
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  ws.onmessage = (e) => {
    if (open && e.data instanceof ArrayBuffer) {
      onData(new Uint8Array(e.data));
    }
  };
  ws.onerror = () => {
    if (open) {
      open = false;
      onError('the WebSocket failed');
    }
  };
  ws.onclose = (e) => {
    if (open) {
      open = false;
      // a close the server chose (1000, 1001: the stream ended) or one without a close frame (1006: the network)
      e.code === 1000 || e.code === 1001 ? onEnd() : onError('the WebSocket closed (' + e.code + ')');
    }
  };
  return {
    close() {
      open = false;
      ws.onmessage = ws.onerror = ws.onclose = null;
      ws.close();
    },
  };
}

function httpStream(url, { onData, onEnd, onError }) {
  let open = true;
  const abort = new AbortController();
  (async () => {
    const response = await fetch(url, { signal: abort.signal, cache: 'no-store' });
    if (!response.ok || !response.body) {
      throw new Error('HTTP ' + response.status);
    }
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (!open) {
        return;
      }
      if (done) {
        open = false;
        onEnd();
        return;
      }
      onData(value);
    }
  })().catch((e) => {
    if (open) {
      open = false;
      onError('HTTP-FLV: ' + e.message);
    }
  });
  return {
    close() {
      open = false;
      abort.abort();
    },
  };
}
