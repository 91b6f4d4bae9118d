/**
 * The Redis Cluster slot of a key or shard channel: CRC16 (XMODEM) of the
 * key, or of its hash tag (the text between the first `{` and the next `}`,
 * when not empty), modulo 16384, as the Redis Cluster specification defines it.
 *
 * @module
 */

const TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let j = 0; j < 8; j++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[i] = c;
  }
  return t;
})();

const encoder = new TextEncoder();

/** CRC16-XMODEM of `bytes`. */
function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const b of bytes) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ b) & 0xff]!;
  return crc;
}

/** The cluster slot (0-16383) of key or shard channel `key`. */
export function keySlot(key: string): number {
  const open = key.indexOf('{');
  if (open >= 0) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) key = key.slice(open + 1, close);
  }
  return crc16(encoder.encode(key)) % 16384;
}
