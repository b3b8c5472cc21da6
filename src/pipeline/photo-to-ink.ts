import type { CV } from './opencv-types';
import {
  ADAPTIVE_BLOCK_FRACTION,
  ADAPTIVE_OFFSET,
  BACKGROUND_KERNEL,
  BACKGROUND_SIDE,
  LINE_EDGE_MARGIN,
  LINE_KERNEL_FRACTION,
  EDGE_SLIVER_ELONGATION,
  HAIRLINE_FRACTION,
  INK_OVER_LINE,
  LINE_MAX_THICKNESS,
  LINE_MIN_SPAN,
  LINE_REMNANT_MARGIN,
  LINE_SURE_LENGTH,
  MAX_PHOTO_SIDE,
  MIN_INK_CONTRAST,
  PHOTO_SPECK_FRACTION,
  POLARITY_CONTRAST,
} from './photo-options';
import type { InkImage, RgbaImage } from './types';

type Mat = InstanceType<CV['Mat']>;

/** A picture turned into ink the lattice reads, and how it was found. */
export interface PhotoInk {
  /** Binary ink (255) on background (0), at the working size. */
  ink: InkImage;
  /** Pixels of the picture given per pixel of `ink` (1 unless it was over MAX_PHOTO_SIDE). */
  scale: number;
  /** Dark ink on light paper, or light ink (chalk, a negative) on a dark ground. */
  polarity: 'dark-on-light' | 'light-on-dark';
  /** Ruled or grid lines taken out. */
  linesRemoved: number;
}

/** Positive integer size and enough bytes for RGBA. */
export function isWellFormedPhoto(photo: RgbaImage): boolean {
  const { width, height, data } = photo ?? {};
  return Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0 && data != null && data.length >= width * height * 4;
}

/**
 * Turns a photo or a scan of handwriting into ink: grey; the paper's light estimated (a median
 * over a wide window) and divided out, so shadows and uneven light vanish; ink where a pixel is
 * both darker than its neighbourhood (adaptive threshold) and clearly darker than the paper;
 * light ink on a dark ground is turned around first; long straight ruled and grid lines are taken
 * out, the strokes they crossed mended; specks dropped. A malformed picture gives empty ink.
 */
export function photoToInk(cv: CV, photo: RgbaImage): PhotoInk {
  if (!isWellFormedPhoto(photo)) return { ink: { width: 0, height: 0, data: new Uint8Array(0) }, scale: 1, polarity: 'dark-on-light', linesRemoved: 0 };
  const { width, height } = photo;
  const factor = Math.min(1, MAX_PHOTO_SIDE / Math.max(width, height));
  const w = Math.max(1, Math.round(width * factor));
  const h = Math.max(1, Math.round(height * factor));
  const mats: Mat[] = [];
  const mat = (): Mat => {
    const m = new cv.Mat();
    mats.push(m);
    return m;
  };
  try {
    const rgba = new cv.Mat(height, width, cv.CV_8UC4);
    mats.push(rgba);
    rgba.data.set(photo.data.subarray(0, width * height * 4));
    let grey = mat();
    cv.cvtColor(rgba, grey, cv.COLOR_RGBA2GRAY);
    if (w !== width || h !== height) {
      const smaller = mat();
      cv.resize(grey, smaller, new cv.Size(w, h), 0, 0, cv.INTER_AREA);
      grey = smaller;
    }
    // Sensor grain would otherwise cross the threshold pixel by pixel.
    cv.GaussianBlur(grey, grey, new cv.Size(3, 3), 0);

    const paper = estimatePaper(cv, grey, mat);
    const polarity = findPolarity(cv, grey, paper, mat);
    if (polarity === 'light-on-dark') {
      cv.bitwise_not(grey, grey);
      cv.bitwise_not(paper, paper);
    }
    // grey / paper: the paper becomes 255 wherever it is, ink stays as dark relative to it.
    const even = mat();
    cv.divide(grey, paper, even, 255);

    const contrast = mat();
    cv.threshold(even, contrast, 255 * (1 - MIN_INK_CONTRAST), 255, cv.THRESH_BINARY_INV);
    const local = mat();
    const block = Math.max(15, Math.round(Math.max(w, h) * ADAPTIVE_BLOCK_FRACTION)) | 1;
    cv.adaptiveThreshold(even, local, 255, cv.ADAPTIVE_THRESH_MEAN_C, cv.THRESH_BINARY_INV, block, ADAPTIVE_OFFSET);
    const binary = mat();
    cv.bitwise_and(contrast, local, binary);

    const bands = [...removeLongLines(cv, binary, even, block, true, mat), ...removeLongLines(cv, binary, even, block, false, mat)];
    const sliver = Math.max(3, LINE_MAX_THICKNESS * Math.max(w, h));
    const data = dropSpecks(cv, binary, { minSize: Math.max(2, Math.round(Math.max(w, h) * PHOTO_SPECK_FRACTION)), sliver }, bands, mat);
    return { ink: { width: w, height: h, data }, scale: width / w, polarity, linesRemoved: bands.length };
  } finally {
    for (const m of mats) m.delete();
  }
}

/** The paper's brightness at each pixel: a median over a window about a fifth of the picture wide. */
function estimatePaper(cv: CV, grey: Mat, mat: () => Mat): Mat {
  const factor = Math.min(1, BACKGROUND_SIDE / Math.max(grey.cols, grey.rows));
  const small = mat();
  cv.resize(grey, small, new cv.Size(Math.max(1, Math.round(grey.cols * factor)), Math.max(1, Math.round(grey.rows * factor))), 0, 0, cv.INTER_AREA);
  // The window must fit the image (medianBlur replicates the border, but a 1-px image has nothing to median).
  const kernel = Math.min(BACKGROUND_KERNEL, (Math.min(small.cols, small.rows) * 2 - 1) | 1);
  const blurred = mat();
  if (kernel >= 3) cv.medianBlur(small, blurred, kernel);
  else small.copyTo(blurred);
  const paper = mat();
  cv.resize(blurred, paper, new cv.Size(grey.cols, grey.rows), 0, 0, cv.INTER_LINEAR);
  // Never divide by 0: a black ground counts as the darkest paper.
  const p = paper.data;
  for (let i = 0; i < p.length; i++) if (p[i] === 0) p[i] = 1;
  return paper;
}

/** Whether the marks are darker or lighter than the ground: whichever kind of strong mark is commoner. */
function findPolarity(cv: CV, grey: Mat, paper: Mat, mat: () => Mat): PhotoInk['polarity'] {
  const darker = mat();
  const lighter = mat();
  cv.subtract(paper, grey, darker); // saturates at 0: only pixels darker than the paper remain
  cv.subtract(grey, paper, lighter);
  cv.threshold(darker, darker, POLARITY_CONTRAST, 255, cv.THRESH_BINARY);
  cv.threshold(lighter, lighter, POLARITY_CONTRAST, 255, cv.THRESH_BINARY);
  return cv.countNonZero(lighter) > cv.countNonZero(darker) ? 'light-on-dark' : 'dark-on-light';
}

/** A ruled line's band: across = a + b × along, ± half (pixels). */
interface LineBand {
  horizontal: boolean;
  a: number;
  b: number;
  half: number;
}

/** Sums over the thin positions t of a run's piece, with c the centre across: Σt, Σc, Σt², Σtc. */
interface ThinSums {
  thin: number;
  sumT: number;
  sumC: number;
  sumTT: number;
  sumTC: number;
}

/**
 * centre = a + b × position, least squares over every thin position of the pieces (a digit's foot
 * on a line is a short run: it must not tilt the line); `thin` counts the positions.
 */
function fitLine(pieces: readonly { piece: ThinSums }[]): { a: number; b: number; thin: number } {
  let sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const { piece } of pieces) {
    sw += piece.thin;
    sx += piece.sumT;
    sy += piece.sumC;
    sxx += piece.sumTT;
    sxy += piece.sumTC;
  }
  const spread = sw * sxx - sx * sx;
  // A spread this small is a piece a few positions long: level, through its mean.
  const b = spread > 1e-6 * sw * sw ? (sw * sxy - sx * sy) / spread : 0;
  return { a: (sy - b * sx) / sw, b, thin: sw };
}

/**
 * Takes long straight lines out of `binary` in place. They are looked for in `even` (the grey
 * picture with the light evened out): runs along the axis at least a kernel long (a closing along
 * the axis first joins a faint line's dashes, then an opening), thin; runs that lie on one
 * straight line (within a few pixels across) and together cover LINE_MIN_SPAN of the picture are
 * a ruled line. The line's band is cleared
 * across the whole picture, and strokes that crossed it are mended (a closing across the band,
 * kept only inside it). Returns the bands cleared.
 */
function removeLongLines(cv: CV, binary: Mat, even: Mat, block: number, horizontal: boolean, mat: () => Mat): LineBand[] {
  const along = horizontal ? binary.cols : binary.rows;
  const crossLength = horizontal ? binary.rows : binary.cols;
  const longSide = Math.max(binary.cols, binary.rows);
  const length = Math.max(15, Math.round(longSide * LINE_KERNEL_FRACTION));
  if (length >= along) return [];
  // Looked for in the grey image averaged along the axis: a faint, grainy line stays as dark as it
  // is, noise and strokes across the axis fade; then whatever is darker than its surroundings.
  const candidates = mat();
  cv.blur(even, candidates, horizontal ? new cv.Size(length, 1) : new cv.Size(1, length));
  cv.adaptiveThreshold(candidates, candidates, 255, cv.ADAPTIVE_THRESH_MEAN_C, cv.THRESH_BINARY_INV, block, ADAPTIVE_OFFSET);
  const runs = mat();
  const labels = mat();
  const gap = Math.max(3, Math.round(length / 2));
  const join = cv.getStructuringElement(cv.MORPH_RECT, horizontal ? new cv.Size(gap, 1) : new cv.Size(1, gap));
  const kernel = cv.getStructuringElement(cv.MORPH_RECT, horizontal ? new cv.Size(length, 1) : new cv.Size(1, length));
  try {
    cv.morphologyEx(candidates, runs, cv.MORPH_CLOSE, join);
    cv.morphologyEx(runs, runs, cv.MORPH_OPEN, kernel);
    if (cv.countNonZero(runs) === 0) return [];
    cv.connectedComponents(runs, labels, 8, cv.CV_32S);
  } finally {
    join.delete();
    kernel.delete();
  }
  const maxThickness = Math.max(3, LINE_MAX_THICKNESS * longSide);
  // Per piece of a run, its thin positions t along the axis (where it is at most a line's thickness
  // across): a ruled line is thin almost everywhere, even where a digit's foot touches it; a stroke
  // is not. Each position's contiguous segments across are taken one by one and followed along
  // the axis (a segment continues the run's piece whose last centre lies within a few pixels, so a
  // tilted line stays one piece): a digit's stroke crossing two grid columns joins them into one
  // run, whose mean centre would lie between them.
  // Over each piece's positions, with c the segment's centre: Σt, Σc, Σt², Σtc (to fit a line),
  // Σ thickness, and its first and last t.
  const tolerance = Math.max(6, 0.01 * along);
  interface Piece extends ThinSums { thick: number; first: number; last: number; centre: number }
  const byLabel = new Map<number, Piece[]>();
  const l = labels.data32S;
  const cols = binary.cols;
  for (let t = 0; t < along; t++) {
    let c = 0;
    while (c < crossLength) {
      const label = l[horizontal ? c * cols + t : t * cols + c];
      if (label === 0) {
        c++;
        continue;
      }
      const from = c;
      while (c < crossLength && l[horizontal ? c * cols + t : t * cols + c] === label) c++;
      const n = c - from;
      if (n > maxThickness + 1) continue;
      const centre = (from + c - 1) / 2;
      let list = byLabel.get(label);
      if (!list) byLabel.set(label, (list = []));
      let piece = list.find((p) => Math.abs(p.centre - centre) <= tolerance / 2);
      if (!piece) list.push((piece = { thin: 0, sumT: 0, sumC: 0, sumTT: 0, sumTC: 0, thick: 0, first: t, last: t, centre }));
      piece.thin++;
      piece.sumT += t;
      piece.sumC += centre;
      piece.sumTT += t * t;
      piece.sumTC += t * centre;
      piece.thick += n;
      piece.last = t;
      piece.centre = centre;
    }
  }
  /** Thin pieces: how long, and their sums. */
  const pieces: { span: number; piece: Piece }[] = [];
  for (const piece of [...byLabel.values()].flat()) {
    const span = piece.last - piece.first + 1;
    if (piece.thin < Math.max(length, 0.5 * span)) continue;
    pieces.push({ span, piece });
  }
  // Pieces of one line lie on one straight line: longest first, a piece joins the first line whose
  // fit so far passes within a few pixels of both its ends. A tilted page's line may break into
  // pieces whose mean centres lie far apart; a grid's neighbouring lines stay apart.
  pieces.sort((a, b) => b.span - a.span);
  const lines: (typeof pieces)[] = [];
  for (const piece of pieces) {
    const { first, last } = piece.piece;
    const own = fitLine([piece]);
    const line = lines.find((candidate) => {
      const { a, b } = fitLine(candidate);
      return Math.abs(a + b * first - (own.a + own.b * first)) <= tolerance && Math.abs(a + b * last - (own.a + own.b * last)) <= tolerance;
    });
    if (line) line.push(piece);
    else lines.push([piece]);
  }
  const edgeMargin = Math.max(3, LINE_EDGE_MARGIN * along);
  const ruled = lines.filter((line) => {
    const covered = line.reduce((sum, p) => sum + p.span, 0);
    if (covered < LINE_MIN_SPAN * along) return false;
    if (covered >= LINE_SURE_LENGTH * longSide) return true;
    const first = Math.min(...line.map((p) => p.piece.first));
    const last = Math.max(...line.map((p) => p.piece.last));
    return first <= edgeMargin && last >= along - 1 - edgeMargin;
  });
  if (ruled.length === 0) return [];
  const mask = mat();
  binary.copyTo(mask);
  const m = mask.data;
  m.fill(0);
  let widest = 1;
  const bands: LineBand[] = [];
  const ink = binary.data;
  const light = even.data;
  for (const line of ruled) {
    const { a, b, thin } = fitLine(line);
    // The band covers the line's mean thickness, and a pixel and a half more each side for its soft edges.
    const half = line.reduce((sum, p) => sum + p.piece.thick, 0) / thin / 2 + 1.5;
    widest = Math.max(widest, Math.ceil(2 * half));
    bands.push({ horizontal, a, b, half });
    const inBand: number[] = [];
    // The line's darkness (255 − evened grey): at each position along it, its darkest pixel across;
    // the median of those, since pen ink lies on a short part of a long line.
    const cores: number[] = [];
    for (let t = 0; t < along; t++) {
      const centre = a + b * t;
      let core = -1;
      for (let c = Math.max(0, Math.floor(centre - half)); c <= Math.min(crossLength - 1, Math.ceil(centre + half)); c++) {
        const p = horizontal ? c * binary.cols + t : t * binary.cols + c;
        inBand.push(p);
        core = Math.max(core, 255 - light[p]);
      }
      if (core >= 0) cores.push(core);
    }
    cores.sort((x, y) => x - y);
    const lineDarkness = cores.length > 0 ? cores[Math.floor(cores.length / 2)] : 255;
    // Ink is never lighter than MIN_INK_CONTRAST, so neither is a line's ink that stays.
    const penDarkness = INK_OVER_LINE * Math.max(lineDarkness, 255 * MIN_INK_CONTRAST);
    // Pen ink on the line is darker than the line: it stays, so a stroke running along the line
    // (a 1 on a grid column, a 5's hat on a rule) keeps its ink there.
    for (const p of inBand) if (ink[p] === 0 || 255 - light[p] < penDarkness) m[p] = 255;
  }
  const outside = mat();
  cv.bitwise_not(mask, outside);
  cv.bitwise_and(binary, outside, binary);
  // A stroke crossing the line now has a gap as wide as the band: close it, inside the band only.
  const bridge = cv.getStructuringElement(cv.MORPH_RECT, horizontal ? new cv.Size(1, widest + 4) : new cv.Size(widest + 4, 1));
  try {
    const closed = mat();
    cv.morphologyEx(binary, closed, cv.MORPH_CLOSE, bridge);
    cv.bitwise_and(closed, mask, closed);
    cv.bitwise_or(binary, closed, binary);
  } finally {
    bridge.delete();
  }
  return bands;
}

/**
 * The binary image's bytes without specks (blobs smaller than `minSize` px both ways), without
 * what is left of a ruled line: blobs that lie wholly inside a band cleared (widened by
 * LINE_REMNANT_MARGIN), such as its soft edges where the fitted band ran a pixel off (a stroke
 * that crossed the line reaches out of the band and stays), and without slivers along the
 * picture's edge (at most `sliver` px across it, EDGE_SLIVER_ELONGATION times that along it).
 */
function dropSpecks(cv: CV, binary: Mat, { minSize, sliver }: { minSize: number; sliver: number }, bands: readonly LineBand[], mat: () => Mat): Uint8Array {
  const labels = mat();
  const stats = mat();
  const centroids = mat();
  const count = cv.connectedComponentsWithStats(binary, labels, stats, centroids, 8, cv.CV_32S);
  const s = stats.data32S;
  const keep = new Uint8Array(count);
  const [left, top, across, down] = [cv.CC_STAT_LEFT, cv.CC_STAT_TOP, cv.CC_STAT_WIDTH, cv.CC_STAT_HEIGHT].map(Number);
  const inBand = (x0: number, y0: number, x1: number, y1: number) =>
    bands.some(({ horizontal, a, b, half }) => {
      const [from, to, low, high] = horizontal ? [x0, x1, y0, y1] : [y0, y1, x0, x1];
      const reach = half + LINE_REMNANT_MARGIN;
      // The band is straight, so its ends bound it.
      return Math.min(a + b * from, a + b * to) - reach <= low && high <= Math.max(a + b * from, a + b * to) + reach;
    });
  const isEdgeSliver = (x: number, y: number, w: number, h: number) =>
    ((y === 0 || y + h === binary.rows) && h <= sliver && w >= EDGE_SLIVER_ELONGATION * h) ||
    ((x === 0 || x + w === binary.cols) && w <= sliver && h >= EDGE_SLIVER_ELONGATION * w);
  for (let label = 1; label < count; label++) {
    const row = label * stats.cols;
    const [x, y, w, h] = [s[row + left], s[row + top], s[row + across], s[row + down]];
    keep[label] = Math.max(w, h) >= minSize && !inBand(x, y, x + w - 1, y + h - 1) && !isEdgeSliver(x, y, w, h) ? 255 : 0;
  }
  dropHairlines(cv, binary, labels, keep, mat);
  // Read after dropHairlines: a Mat it makes may grow the wasm heap, which detaches earlier views.
  const l = labels.data32S;
  const out = new Uint8Array(l.length);
  for (let i = 0; i < l.length; i++) out[i] = keep[l[i]];
  return out;
}

/**
 * Unmarks (in `keep`, per label of `labels`) blobs that are hairlines next to the writing: their
 * thickest point (greatest distance to the paper) under HAIRLINE_FRACTION × the writing's, which
 * is the median of the kept blobs' thickest points weighted by their ink.
 */
function dropHairlines(cv: CV, binary: Mat, labelled: Mat, keep: Uint8Array, mat: () => Mat): void {
  const distance = mat();
  cv.distanceTransform(binary, distance, cv.DIST_L2, cv.DIST_MASK_PRECISE);
  const d = distance.data32F;
  const labels = labelled.data32S;
  const thickest = new Float32Array(keep.length);
  const inkCount = new Uint32Array(keep.length);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label === 0 || keep[label] === 0) continue;
    inkCount[label]++;
    if (d[i] > thickest[label]) thickest[label] = d[i];
  }
  const kept = [...keep.keys()].filter((label) => label > 0 && keep[label] !== 0);
  if (kept.length < 2) return;
  const byThickness = [...kept].sort((a, b) => thickest[a] - thickest[b]);
  const total = byThickness.reduce((sum, label) => sum + inkCount[label], 0);
  let seen = 0;
  let writing = 0;
  for (const label of byThickness) {
    seen += inkCount[label];
    writing = thickest[label];
    if (seen * 2 >= total) break;
  }
  for (const label of kept) if (thickest[label] < HAIRLINE_FRACTION * writing) keep[label] = 0;
}
