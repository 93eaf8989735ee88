// The plain broadcast server of the chat benchmark: every text frame a client sends goes to every client, one frame per
// message, as a straightforward chat server on `ws` does. No batching, no shared encoding, no backpressure policy.
const { WebSocketServer, WebSocket } = require('ws');

const port = Number(process.env.PORT || 18090);
const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false, maxPayload: 16 * 1024 });
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => {
    for (const client of wss.clients) {
      if (client.readyState === WebSocket.OPEN) client.send(data, { binary: isBinary });
    }
  });
});
console.log(`ws baseline listening on ${port}`);
