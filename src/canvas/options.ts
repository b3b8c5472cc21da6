/** Most points one stroke may hold: about 40 s of 240 Hz stylus input; beyond it the stroke stops growing. */
export const MAX_POINTS_PER_STROKE = 10_000;

/** Most strokes the pad holds; a new stroke beyond it is refused until the person undoes or clears. */
export const MAX_STROKES = 2_000;

/**
 * Points closer than this (CSS px) to the previous point of the stroke are dropped: coalesced
 * stylus events arrive at up to 240 Hz and mostly repeat a position, adding nothing visible but
 * counting against the cap.
 */
export const MIN_POINT_DISTANCE = 0.5;

/**
 * Farthest the predicted pen positions are painted beyond the last real point, as path length in
 * CSS px: a wrong guess must stay small, because the pen may turn or stop where the browser
 * expected it to go on, and the guess stays on screen until the next move replaces it.
 */
export const MAX_PREDICTION_REACH = 24;

/** Pen width as a fraction of the pad's smaller side, so a digit looks written at any pad size. */
export const PEN_WIDTH_FRACTION = 1 / 45;

/** Thinnest pen (CSS px): thinner ink stops looking like writing and fades when shrunk to 28×28. */
export const MIN_PEN_WIDTH = 4;

/** Thickest pen (CSS px): on a large desktop pad, 1/45 of the side would look like a marker. */
export const MAX_PEN_WIDTH = 18;

/**
 * Ink colour when the canvas has no usable CSS `color`. The pad paints in the canvas's computed
 * `color` so the UI's stylesheet (dark mode included) decides; recognition reads only alpha.
 */
export const FALLBACK_INK_COLOUR = '#111';

/** Shown through `onLimit` when a stroke reaches MAX_POINTS_PER_STROKE. */
export const STROKE_TOO_LONG_MESSAGE = 'That stroke is too long. Lift the pen and start a new one.';

/** Shown through `onLimit` when a stroke is refused because the pad holds MAX_STROKES. */
export const PAD_FULL_MESSAGE = 'The pad is full. Undo or clear to write more.';
