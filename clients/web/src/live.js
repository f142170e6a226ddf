// Live notifications over /graphql/ws (protocol graphql-transport-ws): one connection per signed-in page,
// reconnecting with a growing pause; a closed session (4401/4403) asks the caller to sign in again.
import { documentOf, token } from './api.js';

export function subscribe(name, variables, onData, onSessionEnded) {
  let socket = null;
  let stopped = false;
  let pause = 1000;
  let timer = null;

  async function connect() {
    if (stopped || !token.get()) return;
    const query = await documentOf(name);
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(`${scheme}://${location.host}/graphql/ws`, 'graphql-transport-ws');
    socket.onopen = () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token.get()}` } }));
    socket.onmessage = (event) => {
      const m = JSON.parse(event.data);
      if (m.type === 'connection_ack') {
        pause = 1000;
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables, operationName: name } }));
      } else if (m.type === 'next' && m.payload && m.payload.data) {
        onData(m.payload.data);
      } else if (m.type === 'ping') {
        socket.send(JSON.stringify({ type: 'pong' }));
      }
    };
    socket.onclose = (event) => {
      socket = null;
      if (stopped) return;
      if (event.code === 4401 || event.code === 4403) {
        onSessionEnded && onSessionEnded();
        return;
      }
      timer = setTimeout(connect, pause);
      pause = Math.min(pause * 2, 30000);
    };
  }

  connect();
  return () => {
    stopped = true;
    clearTimeout(timer);
    if (socket) socket.close(1000);
  };
}
