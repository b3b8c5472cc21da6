/** Side of the model's input image, as in MNIST. */
export const MNIST_SIZE = 28;

/** Digits are fit into a 20×20 box inside the 28×28 image, as MNIST was built. */
export const MNIST_BOX = 20;

/** The centre of mass of the ink lands here (MNIST centres by centre of mass, not by box). */
export const MNIST_CENTRE = MNIST_SIZE / 2;

/** At most this many digits are read from one image; people write 50 in a row to test it. */
export const MAX_DIGITS = 30;

/**
 * Ink level (0–255) above which a pixel counts as ink when finding blobs: a quarter coverage, so
 * the faint anti-aliased rims of two digits that nearly touch do not join them into one blob.
 */
export const INK_THRESHOLD = 64;

/**
 * Pads with a longer side than this are area-downscaled before segmentation: segmentation needs
 * no more detail, and it keeps time and wasm memory bounded for huge (or hostile) inputs.
 */
export const MAX_SEGMENT_SIDE = 1024;

/** Blobs smaller than this × the typical digit height in both directions are specks, not strokes. */
export const SPECK_FRACTION = 0.03;

/** Only the largest this-many blobs are grouped, so scattered noise cannot make grouping slow. */
export const MAX_BLOBS = 120;

/** A blob at least this tall (× the typical digit height) may be a digit on its own. */
export const MAJOR_HEIGHT_FRACTION = 0.5;

/**
 * Two digit-sized blobs merge when their horizontal extents overlap by at least this × the
 * narrower one's width (a 4 in two strokes), unless they sit side by side.
 */
export const MERGE_OVERLAP_FRACTION = 0.5;

/**
 * Blobs are side by side (two digits) only if they share at least this fraction of the shorter
 * one's rows; a 5's hat or an 8's upper loop shares only the few rows where it meets the rest.
 */
export const SIDE_BY_SIDE_ROWS_FRACTION = 0.5;

/**
 * An open 4 (an L and a separate stem, not touching) is two side-by-side blobs, so it gets its own
 * rule, fitted on pendigits 4s against neighbouring digits of generated numbers: the stem's top
 * and bottom sit at least these fractions of the pair's height lower than the L's, their ink
 * comes within OPEN_FOUR_MAX_GAP × digit height, and the pair is at most OPEN_FOUR_MAX_ASPECT
 * times as wide as tall (two digits side by side are wider). At a thin pen the training writers'
 * stems end up to 0.15 away. A 9 whose tail swept under a 4 came 0.11–0.14 close at the app's pens
 * (eval:real, a training writer), so the stem must also be one stroke: at most
 * OPEN_FOUR_STEM_MAX_LOOP_ROWS of its rows may cross its ink twice (a loop's rows do).
 */
export const OPEN_FOUR_TOP_DROP = 0.15;
export const OPEN_FOUR_BOTTOM_DROP = 0.1;
export const OPEN_FOUR_MAX_GAP = 0.16;
export const OPEN_FOUR_STEM_MAX_LOOP_ROWS = 0.1;
export const OPEN_FOUR_MAX_ASPECT = 0.75;

/**
 * A 5's hat drawn as its own stroke can be half as tall as the 5 when it curves down beside the
 * body's top (a style some writers use for every 5), so it sits beside the body like a digit. It
 * joins the body when it starts no lower than HAT_MAX_TOP_DROP × the body's height below the body's
 * top, ends within the body's upper HAT_MAX_BOTTOM, and its ink comes within HAT_MAX_GAP × digit
 * height of the body's. Two digits side by side share a baseline instead.
 */
export const HAT_MAX_TOP_DROP = 0.2;
export const HAT_MAX_BOTTOM = 0.6;
export const HAT_MAX_GAP = 0.15;

/**
 * A flat small part (a 5's hat, a 7's bar, a 1's base) joins a digit whose horizontal extent
 * covers at least this fraction of the part's width: 98% of the pendigits 5-hats overlap ≥ 25%.
 * A compact small part (a dot, or a small digit beside a big one) needs MERGE_OVERLAP_FRACTION.
 */
export const ATTACH_OVERLAP_FRACTION = 0.2;

/** A part smaller than this (× digit height) both ways is a dot: it joins the digit whose span it is over or in. */
export const DOT_FRACTION = 0.12;

/** A compact part at least this tall (× digit height) may be a small digit rather than a dot or a bar. */
export const SMALL_DIGIT_FRACTION = 0.3;

/** A part at least this many times wider than tall is a flat stroke: a hat, a bar or a base. */
export const FLAT_ASPECT = 2;

/** A flat part whose ink comes this close (× digit height) to a digit's ink joins it regardless of overlap. */
export const TOUCH_GAP_FRACTION = 0.12;

/** A small part joins a digit only if their ink comes within this × the digit height. */
export const ATTACH_MAX_GAP_FRACTION = 0.3;

/** Groups smaller than this × the typical digit height (in both directions) are stray marks. */
export const STRAY_FRACTION = 0.2;

/**
 * A group at least this wide (× digit height) may be digits written touching. Single pendigits
 * digits are 0.65 as wide as tall at the median, two side by side about 1.3.
 */
export const SPLIT_MIN_WIDTH = 1.1;

/** Beside other digits, a group must also be at least this × their median width to be split. */
export const SPLIT_MIN_WIDTH_RATIO = 1.6;

/** A group alone on the pad must be this wide (× its height): wide single 0s reach 1.5 (p99). */
export const SPLIT_ALONE_MIN_WIDTH = 1.5;

/** A cut is searched only in the middle of a wide group, this fraction of its width in from each side. */
export const SPLIT_SEARCH_MARGIN = 0.25;

/**
 * A cut column may hold at most this × the stroke width of ink: one stroke crossing where two
 * digits touch. The middle of a wide 0 (two strokes) or 2 (three) holds more.
 */
export const SPLIT_MAX_BRIDGE = 1.5;

/** The thin stretch around a cut may be at most this many stroke widths long. */
export const SPLIT_MAX_BRIDGE_LENGTH = 4;

/**
 * Long side, in pixels, at which a digit's stroke width is measured and adjusted: 4× the MNIST
 * box, so widths are set to a quarter of an MNIST pixel whatever the pad or the writing size.
 */
export const STROKE_WORK_SIZE = 4 * MNIST_BOX;

/**
 * Median stroke width of the MNIST training digits, in pixels of the 20-px box (p10 1.8, p90 3.5),
 * measured as 2·area/perimeter (round-capped) on 4× upsampled digits thresholded at half ink
 * (scripts/eval-segmentation.ts prints it beside the crops' width).
 */
export const MNIST_STROKE_WIDTH = 2.45;

/**
 * Width `normalizeStrokeWidth` aims for so that finished crops measure MNIST_STROKE_WIDTH by the
 * same yardstick: resampling into 28×28 and the soft edge add about 0.15 px on real digits.
 * Calibrated with scripts/eval-segmentation.ts (crops' median against MNIST's).
 */
export const STROKE_WIDTH_TARGET = 2.3;
