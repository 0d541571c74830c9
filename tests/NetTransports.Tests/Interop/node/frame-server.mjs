// A server for our publishers, written from the spec: node frame-server.mjs tcp|http2
// Prints "listening PORT", then one JSON line per connection (tcp) or request stream (http2) when it ends:
// {"frames":N,"hashSum":H,"bytes":Y,"partial":P,...}. HTTP/2: POST /frames answers 204 once the body ended on a frame
// boundary, resets the stream on bad framing, answers 404 to anything else.
import net from 'node:net';
import http2 from 'node:http2';
import { FrameParser } from './interop-frames.mjs';

const [mode] = process.argv.slice(2);

function serveStream(stream, onEnd, onBad) {
  const parser = new FrameParser();
  let failed = false;
  stream.on('data', (chunk) => {
    if (failed) return;
    try { parser.push(chunk); } catch (error) { failed = true; console.log(parser.report({ error: error.message })); onBad(); }
  });
  stream.on('end', () => { if (!failed) { console.log(parser.report({})); onEnd(parser.pending.length === 0); } });
  stream.on('error', () => {});
}

let server;
if (mode === 'tcp') {
  server = net.createServer((socket) => serveStream(socket, () => socket.end(), () => socket.destroy()));
} else {
  server = http2.createServer();
  server.on('stream', (stream, headers) => {
    if (headers[':method'] !== 'POST' || headers[':path'] !== '/frames') {
      stream.respond({ ':status': 404 }, { endStream: true });
      return;
    }
    serveStream(stream,
      (onBoundary) => onBoundary ? stream.respond({ ':status': 204 }, { endStream: true }) : stream.close(http2.constants.NGHTTP2_PROTOCOL_ERROR),
      () => stream.close(http2.constants.NGHTTP2_PROTOCOL_ERROR));
  });
}
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
process.stdin.on('end', () => process.exit(0)); // the test closes stdin to stop it
process.stdin.resume();
