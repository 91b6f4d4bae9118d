/**
 * Standard base64 (RFC 4648 §4, with padding) of bytes, in browsers and Node
 * alike: Node's `Buffer` when the global exists (several times faster), else
 * a table. Decoding refuses anything that is not canonical base64.
 *
 * @module
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const CANONICAL = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

interface BufferLike {
  from(data: ArrayBufferLike, offset: number, length: number): { toString(encoding: 'base64'): string };
  from(text: string, encoding: 'base64'): Uint8Array;
}
// read through globalThis, so that a bundler sees no `Buffer` to polyfill
const NodeBuffer = (globalThis as { Buffer?: BufferLike }).Buffer;

const DECODE = /* @__PURE__ */ (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) t[ALPHABET.charCodeAt(i)] = i;
  return t;
})();

/** The base64 text of `bytes`. */
export function bytesToBase64(bytes: Uint8Array): string {
  if (NodeBuffer !== undefined)
    return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  return encodeWithTable(bytes);
}

/**
 * The bytes of base64 `text`, or null when it is not canonical padded
 * base64 (other characters, missing padding, non-zero padding bits).
 */
export function base64ToBytes(text: string): Uint8Array | null {
  if (!isCanonicalBase64(text)) return null;
  if (NodeBuffer !== undefined) {
    const b = NodeBuffer.from(text, 'base64');
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }
  return decodeWithTable(text);
}

/** Whether `text` is canonical padded base64 (the only form {@link base64ToBytes} accepts). */
export function isCanonicalBase64(text: string): boolean {
  if (text.length % 4 !== 0 || !CANONICAL.test(text)) return false;
  // the unused low bits of the last character must be zero: one text per byte string
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  if (pad === 0) return true;
  const last = DECODE[text.charCodeAt(text.length - pad - 1)]!;
  return (pad === 2 ? last & 15 : last & 3) === 0;
}

/** The browser path of {@link bytesToBase64}. @internal exported for tests */
export function encodeWithTable(bytes: Uint8Array): string {
  const parts: string[] = [];
  let out = '';
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]! + ALPHABET[(v >> 6) & 63]! + ALPHABET[v & 63]!;
    if (out.length >= 8192) {
      parts.push(out);
      out = '';
    }
  }
  if (i < n) {
    const v = (bytes[i]! << 16) | ((i + 1 < n ? bytes[i + 1]! : 0) << 8);
    out += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]!;
    out += i + 1 < n ? `${ALPHABET[(v >> 6) & 63]!}=` : '==';
  }
  parts.push(out);
  return parts.join('');
}

/** The browser path of {@link base64ToBytes}, for canonical input. @internal exported for tests */
export function decodeWithTable(text: string): Uint8Array {
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const size = (text.length / 4) * 3 - pad;
  const out = new Uint8Array(size);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const v =
      (DECODE[text.charCodeAt(i)]! << 18) |
      (DECODE[text.charCodeAt(i + 1)]! << 12) |
      (Math.max(0, DECODE[text.charCodeAt(i + 2)]!) << 6) |
      Math.max(0, DECODE[text.charCodeAt(i + 3)]!);
    out[o++] = v >> 16;
    if (o < size) out[o++] = (v >> 8) & 255;
    if (o < size) out[o++] = v & 255;
  }
  return out;
}
