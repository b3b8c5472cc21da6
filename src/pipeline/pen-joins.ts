import type { StrokeTrace } from './types';

/**
 * A stroke is searched for joins (the pen running on from one digit into the next) only when it
 * is at least this wide (× digit height): a 1 joined to its neighbour ("11", "51") is this narrow.
 */
export const JOIN_MIN_WIDTH = 0.6;

/**
 * …and with the writing's lean undone ({@link JOIN_LEANS}) only when it is at least this wide:
 * leaned back, a 7's bar no longer shares columns with its stem, and one digit alone is narrower.
 */
export const JOIN_MIN_WIDTH_LEANED = 0.9;

/** …and at least this tall (× digit height): a long flat 5-hat or 7-bar is never cut. */
export const JOIN_MIN_HEIGHT = 0.5;

/**
 * A point of the pen's path is a join when what was written before it lies left of what is
 * written after it: the columns they share are at most this × digit height (touching, a tail).
 */
export const JOIN_MAX_OVERLAP = 0.15;

/** Each side of a join holds at least this much pen path (× digit height): a digit, not a tick. */
export const JOIN_MIN_PATH = 0.6;

/** Joins of one stroke are at least this far apart along its path (× digit height). */
export const JOIN_SPACING = 0.6;

/**
 * Leans undone before the search (x moved left by this × height above the stroke's foot): digits
 * written in italics share columns with their neighbours, upright they do not.
 */
export const JOIN_LEANS = [0, 0.2, 0.4] as const;

/**
 * Points are put along the pen's path at most this far apart (× digit height) before joins are
 * sought: the pen may have sent one event for a whole fast join.
 */
export const JOIN_STEP = 0.04;

/** A trace whose strokes were cut at the pen's joins, and which stroke of the original each piece is. */
export interface JoinedTrace {
  trace: StrokeTrace;
  /** Per stroke of `trace`: the index of the stroke of the original it is part of. */
  origin: Uint32Array;
}

/**
 * Cuts the strokes that run on from one digit into the next at the pen's joins, so each piece
 * holds a digit and a part of the join at most: a number written without lifting the pen becomes
 * strokes as if it had been lifted. The pieces share their cut points, so no ink is lost.
 * `digitHeight` is in the trace's pixels.
 */
export function cutTraceAtJoins(trace: StrokeTrace, digitHeight: number): JoinedTrace {
  const pointCount = Math.floor(trace.points.length / 2);
  const points: number[] = [];
  const starts: number[] = [];
  const origin: number[] = [];
  for (let k = 0; k < trace.starts.length; k++) {
    const first = trace.starts[k];
    const end = k + 1 < trace.starts.length ? trace.starts[k + 1] : pointCount;
    const { xs, ys } = densify(trace.points.subarray(2 * first, 2 * end), JOIN_STEP * digitHeight);
    const cuts = findJoins(xs, ys, digitHeight);
    const bounds = [0, ...cuts, xs.length - 1];
    for (let j = 0; j + 1 < bounds.length; j++) {
      starts.push(points.length / 2);
      origin.push(k);
      // The last piece takes the stroke's end; others end at the cut point, which the next one starts at.
      const to = j + 2 === bounds.length ? xs.length : bounds[j + 1] + 1;
      for (let i = bounds[j]; i < to; i++) points.push(xs[i], ys[i]);
    }
  }
  return { trace: { points: Float32Array.from(points), starts: Uint32Array.from(starts), penWidth: trace.penWidth }, origin: Uint32Array.from(origin) };
}

/**
 * Where one stroke (its points' x and y, densified: joins are sought at its points) runs on from one digit to the next, as point indices,
 * in order: points where the path so far and the path still to come barely share columns (with
 * the writing's lean undone), each side long enough to be a digit, the least shared first.
 */
export function findJoins(xs: ArrayLike<number>, ys: ArrayLike<number>, digitHeight: number): number[] {
  const n = xs.length;
  if (n < 3 || !(digitHeight > 0)) return [];
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, xs[i]);
    maxX = Math.max(maxX, xs[i]);
    minY = Math.min(minY, ys[i]);
    maxY = Math.max(maxY, ys[i]);
  }
  if (maxX - minX < JOIN_MIN_WIDTH * digitHeight || maxY - minY < JOIN_MIN_HEIGHT * digitHeight) return [];
  const leans = maxX - minX >= JOIN_MIN_WIDTH_LEANED * digitHeight ? JOIN_LEANS : [0];

  // Path length up to each point.
  const travelled = new Float64Array(n);
  for (let i = 1; i < n; i++) travelled[i] = travelled[i - 1] + Math.hypot(xs[i] - xs[i - 1], ys[i] - ys[i - 1]);
  const total = travelled[n - 1];
  const minPath = JOIN_MIN_PATH * digitHeight;

  // Shared columns of the path before and after each point, the least over the leans tried.
  const shared = new Float64Array(n).fill(Infinity);
  const leaned = new Float64Array(n);
  const reachBefore = new Float64Array(n);
  const reachAfter = new Float64Array(n);
  for (const lean of leans) {
    for (let i = 0; i < n; i++) leaned[i] = xs[i] - lean * (maxY - ys[i]);
    reachBefore[0] = leaned[0];
    for (let i = 1; i < n; i++) reachBefore[i] = Math.max(reachBefore[i - 1], leaned[i]);
    reachAfter[n - 1] = leaned[n - 1];
    for (let i = n - 2; i >= 0; i--) reachAfter[i] = Math.min(reachAfter[i + 1], leaned[i]);
    for (let i = 0; i < n; i++) shared[i] = Math.min(shared[i], reachBefore[i] - reachAfter[i]);
  }

  // A join is the middle of a stretch of the least sharing, below the limit.
  const limit = JOIN_MAX_OVERLAP * digitHeight;
  const found: number[] = [];
  for (let i = 0; i < n; i++) {
    if (shared[i] > limit) continue;
    let end = i;
    while (end + 1 < n && shared[end + 1] === shared[i]) end++;
    const leftRises = i === 0 || shared[i - 1] > shared[i];
    const rightRises = end + 1 >= n || shared[end + 1] > shared[i];
    // The middle of the stretch by path length, kept a digit's path from either end.
    const midway = Math.min(total - minPath, Math.max(minPath, (travelled[i] + travelled[end]) / 2));
    if (leftRises && rightRises && travelled[end] >= midway && travelled[i] <= midway) {
      let at = i;
      while (at < end && travelled[at] < midway) at++;
      found.push(at);
    }
    i = end;
  }
  found.sort((a, b) => shared[a] - shared[b]);
  const chosen: number[] = [];
  const spacing = JOIN_SPACING * digitHeight;
  for (const at of found) {
    if (chosen.every((other) => Math.abs(travelled[other] - travelled[at]) >= spacing)) chosen.push(at);
  }
  return chosen.sort((a, b) => a - b);
}

/** A stroke's points (x, y interleaved) with points added along each segment so none is longer than `step`. */
export function densify(points: ArrayLike<number>, step: number): { xs: number[]; ys: number[] } {
  const xs: number[] = [];
  const ys: number[] = [];
  const count = Math.floor(points.length / 2);
  for (let i = 0; i < count; i++) {
    const x = points[2 * i];
    const y = points[2 * i + 1];
    if (i > 0 && step > 0) {
      const px = points[2 * i - 2];
      const py = points[2 * i - 1];
      // Bounded so a wild point cannot make a huge stroke.
      const pieces = Math.min(1000, Math.ceil(Math.hypot(x - px, y - py) / step));
      for (let k = 1; k < pieces; k++) {
        xs.push(px + ((x - px) * k) / pieces);
        ys.push(py + ((y - py) * k) / pieces);
      }
    }
    xs.push(x);
    ys.push(y);
  }
  return { xs, ys };
}

/** Which part of a cut stroke a pixel is nearest: its body, or the join's stretch at its start or end. */
export const enum JoinPart {
  None = 0,
  Body = 1,
  AtStart = 2,
  AtEnd = 3,
}

/**
 * Per stroke of a joined trace, whether it begins or ends at a join (its neighbour in the trace is
 * the same original stroke), and its points split so that the last `reach` of path before a join
 * and the first after it can be told apart from the digit's own ink.
 */
export interface JoinStretches {
  /** Per stroke of the joined trace: it starts at a join; it ends at one. */
  cutAtStart: boolean[];
  cutAtEnd: boolean[];
  /** The joined trace split into sub-strokes, and per sub-stroke its stroke and which part it is. */
  parts: StrokeTrace;
  partStroke: Uint32Array;
  partKind: Uint8Array;
}

/**
 * Splits each stroke of a joined trace that starts or ends at a join into the join's stretch
 * (`reach` of path from the cut, at most a third of the stroke) and the rest, so a digit can be
 * cut out without the connector the pen drew on its way to or from its neighbour.
 */
export function joinStretches(joined: JoinedTrace, reach: number): JoinStretches {
  const { trace, origin } = joined;
  const count = trace.starts.length;
  const pointCount = Math.floor(trace.points.length / 2);
  const cutAtStart = Array.from({ length: count }, (_, k) => k > 0 && origin[k - 1] === origin[k]);
  const cutAtEnd = Array.from({ length: count }, (_, k) => k + 1 < count && origin[k + 1] === origin[k]);
  const points: number[] = [];
  const starts: number[] = [];
  const partStroke: number[] = [];
  const partKind: number[] = [];
  const push = (k: number, kind: JoinPart, from: number, to: number) => {
    if (to < from) return;
    starts.push(points.length / 2);
    partStroke.push(k);
    partKind.push(kind);
    for (let i = from; i <= to; i++) points.push(trace.points[2 * i], trace.points[2 * i + 1]);
  };
  for (let k = 0; k < count; k++) {
    const first = trace.starts[k];
    const last = (k + 1 < count ? trace.starts[k + 1] : pointCount) - 1;
    const travelled = [0];
    for (let i = first + 1; i <= last; i++) {
      travelled.push(travelled[travelled.length - 1] + Math.hypot(trace.points[2 * i] - trace.points[2 * i - 2], trace.points[2 * i + 1] - trace.points[2 * i - 1]));
    }
    const total = travelled[travelled.length - 1];
    const stretch = Math.min(reach, total / 3);
    let bodyFrom = first;
    let bodyTo = last;
    if (cutAtStart[k]) while (bodyFrom < last && travelled[bodyFrom - first] < stretch) bodyFrom++;
    if (cutAtEnd[k]) while (bodyTo > bodyFrom && total - travelled[bodyTo - first] < stretch) bodyTo--;
    // The parts share their boundary points, so the labels leave no gap between them.
    if (bodyFrom > first) push(k, JoinPart.AtStart, first, bodyFrom);
    push(k, JoinPart.Body, bodyFrom, bodyTo);
    if (bodyTo < last) push(k, JoinPart.AtEnd, bodyTo, last);
  }
  return {
    cutAtStart,
    cutAtEnd,
    parts: { points: Float32Array.from(points), starts: Uint32Array.from(starts), penWidth: trace.penWidth },
    partStroke: Uint32Array.from(partStroke),
    partKind: Uint8Array.from(partKind),
  };
}

