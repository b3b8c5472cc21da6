/**
 * Encodes a looping animated GIF89a of black-and-white frames (1 black, 0 white per pixel, row by
 * row), each shown `delayCs` hundredths of a second: a test fixture for "an animated GIF". The
 * LZW stream sends a clear code before every second pixel, so the code table never grows past
 * 3-bit codes: larger than real LZW output, but any decoder reads it and the encoder stays simple.
 */
export function encodeAnimatedGif(width: number, height: number, frames: readonly Uint8Array[], delayCs = 50): Buffer {
  const out: number[] = [];
  const u16 = (v: number) => out.push(v & 0xff, v >> 8);
  const ascii = (text: string) => out.push(...Buffer.from(text, 'ascii'));
  ascii('GIF89a');
  u16(width);
  u16(height);
  out.push(0x80, 0, 0); // a global colour table of 2 entries
  out.push(255, 255, 255, 0, 0, 0); // 0 white, 1 black
  out.push(0x21, 0xff, 11); // application extension: NETSCAPE2.0, loop for ever
  ascii('NETSCAPE2.0');
  out.push(3, 1, 0, 0, 0);
  for (const frame of frames) {
    if (frame.length !== width * height) throw new Error(`a frame has ${frame.length} pixels, not ${width * height}`);
    out.push(0x21, 0xf9, 4, 0x04, delayCs & 0xff, delayCs >> 8, 0, 0); // graphic control: keep the frame, delay
    out.push(0x2c);
    u16(0);
    u16(0);
    u16(width);
    u16(height);
    out.push(0); // no local colour table, not interlaced
    out.push(2); // LZW minimum code size: codes 0–3 are colours, 4 clear, 5 end
    const bytes: number[] = [];
    let bits = 0;
    let count = 0;
    const put = (code: number) => {
      bits |= code << count;
      count += 3;
      while (count >= 8) {
        bytes.push(bits & 0xff);
        bits >>= 8;
        count -= 8;
      }
    };
    for (let i = 0; i < frame.length; i++) {
      if (i % 2 === 0) put(4);
      put(frame[i] ? 1 : 0);
    }
    put(5);
    if (count > 0) bytes.push(bits & 0xff);
    for (let i = 0; i < bytes.length; i += 255) {
      const block = bytes.slice(i, i + 255);
      out.push(block.length, ...block);
    }
    out.push(0);
  }
  out.push(0x3b);
  return Buffer.from(out);
}
