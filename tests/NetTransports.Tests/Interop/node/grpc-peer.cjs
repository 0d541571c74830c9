// The gRPC side of the interop tests: @grpc/grpc-js (a standard implementation nobody here wrote), driven with
// snapshot_feed.proto's two methods as paths and the payload bytes passed through as they are (a frame is one message).
//   node grpc-peer.cjs server                  prints "listening PORT", then one JSON report per call when it ends:
//                                              {"method":M,"frames":N,"hashSum":H,"bytes":Y,"partial":0}
//   node grpc-peer.cjs client PORT N stream|unary   sends frames 0..N-1 (interop-frames.mjs) in one Publish call or one
//                                              PublishOne call each; prints "done" per answered call, or "status CODE DETAIL"
// CommonJS so that NODE_PATH (set by the test to this folder's node_modules) finds @grpc/grpc-js from the output folder.
const grpc = require('@grpc/grpc-js');

const passThrough = {
  requestSerialize: (bytes) => bytes,
  requestDeserialize: (bytes) => bytes,
  responseSerialize: () => Buffer.alloc(0), // google.protobuf.Empty: no bytes
  responseDeserialize: () => ({}),
};
const SnapshotFeed = {
  Publish: { path: '/shmipc.SnapshotFeed/Publish', requestStream: true, responseStream: false, ...passThrough },
  PublishOne: { path: '/shmipc.SnapshotFeed/PublishOne', requestStream: false, responseStream: false, ...passThrough },
};

(async () => {
  const { payload, fnv1a32 } = await import('./interop-frames.mjs');
  const [mode, ...rest] = process.argv.slice(2);

  if (mode === 'server') {
    const report = (method) => ({ method, frames: 0, hashSum: 0, bytes: 0, partial: 0 });
    const add = (r, bytes) => { r.frames++; r.bytes += bytes.length; r.hashSum = (r.hashSum + fnv1a32(bytes)) >>> 0; };
    const server = new grpc.Server();
    server.addService(SnapshotFeed, {
      Publish(call, callback) {
        const r = report('Publish');
        call.on('data', (bytes) => add(r, bytes));
        call.on('end', () => { console.log(JSON.stringify(r)); callback(null, {}); });
        call.on('error', () => {});
      },
      PublishOne(call, callback) {
        const r = report('PublishOne');
        add(r, call.request);
        console.log(JSON.stringify(r));
        callback(null, {});
      },
    });
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => {
      if (error) { console.log(`error ${error.message}`); process.exit(1); }
      console.log(`listening ${port}`);
    });
    process.stdin.on('end', () => server.tryShutdown(() => process.exit(0))); // the test closes stdin to stop it
    process.stdin.resume();
    return;
  }

  const [port, countText, shape] = rest;
  const count = Number(countText);
  const Client = grpc.makeGenericClientConstructor(SnapshotFeed, 'SnapshotFeed');
  const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const answered = (error) => console.log(error ? `status ${error.code} ${error.details}` : 'done');
  if (shape === 'stream') {
    await new Promise((resolve) => {
      const call = client.Publish((error) => { answered(error); resolve(); });
      for (let k = 0; k < count; k++) call.write(payload(k));
      call.end();
    });
  } else {
    for (let k = 0; k < count; k++) {
      await new Promise((resolve) => client.PublishOne(payload(k), (error) => { answered(error); resolve(); }));
    }
  }
  client.close();
})();
