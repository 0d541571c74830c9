// The frames the interop tests exchange, and the byte-transport wire as docs/net-transports.md specifies it,
// written from that spec alone (Node's built-in modules only). Frame k of a stream: payload length 0 for k = 1,
// 16,392 for every tenth, else (k * 7919) % 20000; payload byte i is (k * 131 + i * 7) & 0xFF.

export const MARKER = 0x464d4853; // "SHMF" read as a little-endian uint32

export function payloadLength(k) {
  if (k === 1) return 0;
  if (k % 10 === 0) return 16392;
  return (k * 7919) % 20000;
}

export function payload(k) {
  const bytes = Buffer.alloc(payloadLength(k));
  for (let i = 0; i < bytes.length; i++) bytes[i] = (k * 131 + i * 7) & 0xff;
  return bytes;
}

export function frame(k) {
  const body = payload(k);
  const header = Buffer.alloc(8);
  header.writeUInt32LE(MARKER, 0);
  header.writeUInt32LE(body.length, 4);
  return Buffer.concat([header, body]);
}

// FNV-1a, 32 bits, of one payload; a stream reports the sum (mod 2^32) over its frames, whatever their order.
export function fnv1a32(bytes) {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

// Parses one stream of frames as the spec says: marker, then length, then the payload.
export class FrameParser {
  constructor() {
    this.pending = Buffer.alloc(0);
    this.frames = 0;
    this.hashSum = 0;
    this.bytes = 0;
  }

  push(chunk) {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 8) {
      const marker = this.pending.readUInt32LE(0);
      if (marker !== MARKER) throw new Error(`marker 0x${marker.toString(16)}`);
      const length = this.pending.readUInt32LE(4);
      if (this.pending.length < 8 + length) break;
      const body = this.pending.subarray(8, 8 + length);
      this.hashSum = (this.hashSum + fnv1a32(body)) >>> 0;
      this.frames++;
      this.bytes += length;
      this.pending = this.pending.subarray(8 + length);
    }
  }

  report(extra) {
    return JSON.stringify({ frames: this.frames, hashSum: this.hashSum, bytes: this.bytes, partial: this.pending.length, ...extra });
  }
}
