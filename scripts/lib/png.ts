import { deflateSync } from 'node:zlib';
import type { RgbaImage } from '../../src/pipeline/types';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, body: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + body.length);
  out.writeUInt32BE(body.length, 0);
  out.write(type, 4, 'ascii');
  out.set(body, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + body.length)), 8 + body.length);
  return out;
}

/**
 * Encodes an RGBA image as an 8-bit RGB PNG (alpha dropped), or RGBA with `keepAlpha`: for test
 * fixtures written by scripts and e2e tests.
 */
export function encodePng(image: RgbaImage, { keepAlpha = false } = {}): Buffer {
  const { width, height, data } = image;
  const channels = keepAlpha ? 4 : 3;
  const raw = Buffer.alloc((width * channels + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * channels + 1)] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      for (let k = 0; k < channels; k++) raw[y * (width * channels + 1) + 1 + x * channels + k] = data[(y * width + x) * 4 + k];
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, keepAlpha ? 6 : 2, 0, 0, 0], 8); // 8 bits, RGB or RGBA, deflate, no filter, no interlace
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array(0))]);
}

/**
 * Encodes a black-and-white PNG (1 bit per pixel) row by row, for fixtures too big to hold as
 * RGBA: `row(y)` gives row y packed 8 pixels a byte, most significant bit first, 1 white, 0 black.
 * A row equal to the one above is stored as an "Up" row of zeros, so a picture made of repeated
 * rows (a small one scaled up, a blank margin) deflates to a few kB even at 20000×20000.
 */
export function encodeBlackWhitePng(width: number, height: number, row: (y: number) => Uint8Array): Buffer {
  const stride = Math.ceil(width / 8);
  const raw = Buffer.alloc((stride + 1) * height); // zero-filled: an Up row needs only its filter byte
  let above: Uint8Array | undefined;
  for (let y = 0; y < height; y++) {
    const bytes = row(y);
    if (bytes.length !== stride) throw new Error(`row ${y} has ${bytes.length} bytes, not ${stride}`);
    const at = y * (stride + 1);
    if (above && (above === bytes || Buffer.compare(above, bytes) === 0)) raw[at] = 2;
    else raw.set(bytes, at + 1);
    above = bytes;
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([1, 0, 0, 0, 0], 8); // 1 bit, greyscale, deflate, no filter, no interlace
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 6 })), chunk('IEND', new Uint8Array(0))]);
}
