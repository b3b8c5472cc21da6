// Settings of the photo path (photo-to-ink.ts, text-lines.ts), in one place. Lengths given as a
// fraction are of the working image's longer side unless said otherwise.

/**
 * A picture's longer side is at most this many pixels when it is read. The page downscales before
 * it hands a picture over (a 48 MP photo would need 200 MB as RGBA); the worker enforces it again.
 * Handwriting on a page stays several tens of pixels tall at this size.
 */
export const MAX_PHOTO_SIDE = 1600;

/**
 * The paper's brightness is estimated on a copy this many pixels long, median-filtered over
 * BACKGROUND_KERNEL of its pixels (a fifth of the picture): ink is a minority in any window that
 * wide, so the median is the paper, shadows and uneven light included. (A tenth was too small:
 * where a thick-penned digit's strokes meet, as at a 7's corner, the ink was taken for paper.)
 */
export const BACKGROUND_SIDE = 160;
export const BACKGROUND_KERNEL = 31;

/** Ink is at least this much darker than the paper around it (a share of the paper's brightness). */
export const MIN_INK_CONTRAST = 0.25;

/**
 * Adaptive threshold: a pixel is ink if it is ADAPTIVE_OFFSET darker (0–255, after the light is
 * evened out) than the mean of a window ADAPTIVE_BLOCK_FRACTION of the picture wide (odd, ≥ 15 px).
 */
export const ADAPTIVE_BLOCK_FRACTION = 1 / 25;
export const ADAPTIVE_OFFSET = 10;

/** Polarity: a pixel this far (0–255) from the paper's brightness counts as dark or light ink. */
export const POLARITY_CONTRAST = 40;

/**
 * Ruled and grid lines: runs of ink at least LINE_KERNEL_FRACTION of the picture long (≥ 15 px)
 * are line candidates, and a connected run spanning LINE_MIN_SPAN of the picture's width (height,
 * for vertical lines) is a ruled line. A digit's bar is far shorter than half a page.
 */
export const LINE_KERNEL_FRACTION = 1 / 25;
export const LINE_MIN_SPAN = 0.5;

/**
 * A run shorter than LINE_SURE_LENGTH of the picture's longer side is a ruled line only if it runs
 * out of the picture at both ends (within LINE_EDGE_MARGIN of its length, ≥ 3 px): in a number cut
 * tightly out of a page, a 1 spans half the picture's height, but its ends lie on the paper.
 */
export const LINE_SURE_LENGTH = 0.35;
export const LINE_EDGE_MARGIN = 0.03;

/**
 * A ruled line is thin: at most this × the longer side (≥ 3 px) across, along at least half its
 * length (a digit's foot may touch it elsewhere). The strokes of big, thick-penned digits can chain
 * into long runs; they are thicker.
 */
export const LINE_MAX_THICKNESS = 0.005;

/**
 * Ink in a ruled line's band at least this many times as dark as the line is pen on the line and
 * stays: printed rules are light, pens dark. Where a line is as dark as the pen, it all goes.
 */
export const INK_OVER_LINE = 1.4;

/** What is left of a ruled line within this many px of its cleared band (its soft edges) goes too. */
export const LINE_REMNANT_MARGIN = 3;

/**
 * A sliver of ink along the picture's edge, no thicker than a ruled line (LINE_MAX_THICKNESS)
 * across the edge and at least this many times as long along it, is a line or the page's edge
 * running out of the picture, too little of it inside to be found as a line. A digit's stroke cut
 * by the edge reaches into the picture.
 */
export const EDGE_SLIVER_ELONGATION = 4;

/**
 * A blob of ink whose thickest point is under this × the writing's (the page's blobs' thickest
 * points, weighted by their ink) is a hairline: what is left of a ruled line that a tilted or bent
 * page kept off its fitted band, a fibre, a guide line. One pen writes a number, so its strokes are
 * all about as thick; a blob of that pen is at least as thick as the pen somewhere.
 */
export const HAIRLINE_FRACTION = 0.35;

/** Blobs of ink smaller than this (× the longer side, ≥ 2 px) both ways are noise: sensor grain, dust. */
export const PHOTO_SPECK_FRACTION = 0.004;

/**
 * Two digit-sized blobs are on one text line when their vertical extents share at least this
 * fraction of the shorter one's height (a number's digits sit side by side).
 */
export const LINE_OVERLAP_FRACTION = 0.4;

/**
 * A line of one digit-sized blob and a blob of the next line are one character's parts stacked
 * (an 8 written as two loops that do not quite touch) when the gap between them is at most
 * STACKED_PART_GAP × the shorter one's height, they overlap across at least half the narrower one's
 * width, and together they are at most STACKED_PART_ASPECT times as tall as wide (two whole digits
 * in a column are taller).
 */
export const STACKED_PART_GAP = 0.25;
export const STACKED_PART_ASPECT = 2.5;

/** A small blob (a hat, a bar, a dot) off every line's extent joins the nearest within this × digit height. */
export const LINE_ATTACH_GAP = 0.5;

/** Each line's image has this margin (px) of background around its ink. */
export const LINE_MARGIN = 4;

/**
 * Lines written at different sizes on one page: ink that joined no line is grouped again at its own
 * digit height, at most MAX_LINE_SIZES sizes in all, while that height is at least
 * SMALLER_LINE_FRACTION of the page's (smaller still is specks and strokes, not a number).
 */
export const MAX_LINE_SIZES = 3;
export const SMALLER_LINE_FRACTION = 0.2;

/** At most this many text lines are read from one picture. */
export const MAX_LINES = 12;

/**
 * Deskew: how a text line whose writing is turned is made level before it is read: turned back
 * ('rotate'), its columns slid level so upright strokes stay upright ('shear'), or not at all.
 */
// Off until it measures better on training writers' photos (it turned a level 1 into a 7 in twoLines).
export const DESKEW: 'rotate' | 'shear' | 'off' = 'off';

/** Deskew: a line's writing is searched for its rotation within ±this many degrees. */
export const DESKEW_MAX_DEGREES = 12;

/** Deskew: angles are tried this many degrees apart. */
export const DESKEW_STEP_DEGREES = 0.5;

/**
 * Deskew: a line is turned only when its best angle is at least this far from level (smaller tilts
 * read as they are, and turning resamples the ink).
 */
export const DESKEW_MIN_DEGREES = 2;
