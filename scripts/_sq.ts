import { writeFileSync } from 'node:fs';
import { renderPhoto } from './lib/render-photo';
import { encodePng } from './lib/png';
import { indexByWriter, loadPendigits } from './lib/pendigits';
import { loadOpenCv } from './lib/load-opencv-node';
import { photoToInk } from '../src/pipeline/photo-to-ink';
import type { InkImage } from '../src/pipeline/types';
import { HELD_OUT_WRITERS } from './lib/pendigits-crops';
const cv = await loadOpenCv();
const ws = [...indexByWriter(loadPendigits().filter((d) => !HELD_OUT_WRITERS.has(d.writer))).values()];
const rgba = (i: InkImage) => ({ width: i.width, height: i.height, data: Uint8ClampedArray.from({ length: i.width * i.height * 4 }, (_, k) => (k % 4 === 3 ? 255 : 255 - i.data[k >> 2])) });
for (const [n, size] of [[1, [640, 480]], [2, [1600, 1200]], [3, [900, 1200]]] as const) {
  const w = ws[n * 7];
  const r = renderPhoto({ width: size[0], height: size[1], seed: n, grid: 40, lines: [[w[1][0], w[0][0], w[7][0]]] });
  const found = photoToInk(cv, r.photo);
  console.log(n, found.linesRemoved);
  writeFileSync(`/tmp/ph/sq${n}.png`, encodePng(r.photo));
  writeFileSync(`/tmp/ph/sqink${n}.png`, encodePng(rgba(found.ink)));
}
