import type { Random } from '../../src/training/create-random';
import type { Stroke } from '../../src/pipeline/rasterize-strokes';

/** Kinds of made-up marks that are not digits. */
export const SCRIBBLE_KINDS = ['zigzag', 'spiral', 'filled blob', 'cross', 'random walk'] as const;

/** One of {@link SCRIBBLE_KINDS}. */
export type ScribbleKind = (typeof SCRIBBLE_KINDS)[number];

/**
 * Draws a mark that is plainly not a digit, about 100 units tall (y down): a zigzag, a spiral, a
 * blob filled by scribbling back and forth, a cross, or a random walk. (Parallel lines are left out: they are honestly read as 1s.) Used to teach and
 * to test "not a digit"; the shapes are generic pen gestures, not any data set's.
 */
export function makeScribble(kind: ScribbleKind, random: Random): Stroke[] {
  const h = 100;
  const w = h * random.uniform(0.5, 1.6);
  switch (kind) {
    case 'zigzag': {
      const teeth = 3 + random.int(6);
      return [Array.from({ length: teeth + 1 }, (_, i) => [(i / teeth) * w + random.uniform(-4, 4), (i % 2 === 0 ? 0 : h) + random.uniform(-8, 8)])];
    }
    case 'spiral': {
      const turns = random.uniform(1.6, 3.5);
      const steps = Math.round(turns * 24);
      const start = random.uniform(0, 2 * Math.PI);
      const direction = random.next() < 0.5 ? 1 : -1;
      return [
        Array.from({ length: steps + 1 }, (_, i) => {
          const t = i / steps;
          const angle = start + direction * t * turns * 2 * Math.PI;
          const r = 0.5 * h * (0.1 + 0.9 * t);
          return [w / 2 + (r * Math.cos(angle) * w) / h, h / 2 + r * Math.sin(angle)];
        }),
      ];
    }
    case 'filled blob': {
      // Back and forth across an ellipse, lines closer than the pen: solid ink.
      const lines = 14 + random.int(14);
      const points: number[][] = [];
      for (let i = 0; i <= lines; i++) {
        const y = (i / lines) * h;
        const half = (w / 2) * Math.sqrt(Math.max(0, 1 - ((2 * y) / h - 1) ** 2));
        const side = i % 2 === 0 ? -1 : 1;
        points.push([w / 2 + side * half + random.uniform(-3, 3), y]);
      }
      return [points];
    }
    case 'cross': {
      const tilt = random.next() < 0.5 ? 0 : random.uniform(-0.5, 0.5);
      return [
        [
          [0, h / 2 + tilt * h],
          [w, h / 2 - tilt * h],
        ],
        [
          [w / 2 + tilt * w * 0.5, 0],
          [w / 2 - tilt * w * 0.5, h],
        ],
      ];
    }
    case 'random walk': {
      const steps = 12 + random.int(30);
      let x = w / 2;
      let y = h / 2;
      let heading = random.uniform(0, 2 * Math.PI);
      const points = [[x, y]];
      for (let i = 0; i < steps; i++) {
        heading += random.uniform(-1.8, 1.8);
        x = Math.min(w, Math.max(0, x + 12 * Math.cos(heading)));
        y = Math.min(h, Math.max(0, y + 12 * Math.sin(heading)));
        points.push([x, y]);
      }
      return [points];
    }
  }
}
