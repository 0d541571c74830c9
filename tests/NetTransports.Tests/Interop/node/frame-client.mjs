// Sends `count` interop frames to one of our servers: node frame-client.mjs tcp|http2|http2-per-message PORT COUNT
// Prints "done" (tcp) or "status S" per request (http2) and exits 0; any error exits 1.
import net from 'node:net';
import http2 from 'node:http2';
import { frame } from './interop-frames.mjs';

const [mode, port, countText] = process.argv.slice(2);
const count = Number(countText);
const fail = (error) => { console.error(`frame-client: ${error.message ?? error}`); process.exit(1); };

function post(session, body) {
  return new Promise((resolve, reject) => {
    const request = session.request({ ':method': 'POST', ':path': '/frames' });
    let status = 0;
    request.on('response', (headers) => { status = headers[':status']; });
    request.on('data', () => {});
    request.on('error', reject);
    request.on('close', () => resolve(status));
    for (const chunk of body) request.write(chunk);
    request.end();
  });
}

if (mode === 'tcp') {
  const socket = net.connect(Number(port), '127.0.0.1', () => {
    for (let k = 0; k < count; k++) socket.write(frame(k));
    socket.end();
  });
  socket.on('error', fail);
  socket.on('close', () => console.log('done'));
} else {
  const session = http2.connect(`http://127.0.0.1:${port}`);
  session.on('error', fail);
  const run = async () => {
    if (mode === 'http2') {
      const frames = [];
      for (let k = 0; k < count; k++) frames.push(frame(k));
      console.log(`status ${await post(session, frames)}`);
    } else {
      for (let k = 0; k < count; k++) console.log(`status ${await post(session, [frame(k)])}`);
    }
    session.close();
  };
  run().catch(fail);
}
