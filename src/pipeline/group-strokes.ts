import { unionBox } from './boxes';
import { type DigitCandidate, findDigitForPart } from './find-digit-for-part';
import { ATTACH_MAX_GAP_FRACTION, MAJOR_HEIGHT_FRACTION } from './options';
import { belongTogether, formHatOfFive, formOpenFour } from './stroke-pairs';
import type { DigitGroup, InkBlob, LabelImage } from './types';

/**
 * Groups blobs into digits. Digit-sized blobs merge only when they belong together (a 4 in two
 * overlapping strokes), form an open 4 or a 5 with a tall hat, never when side by side; each small
 * part (5's hat, 7's bar, 1's base, dot) joins the digit `findDigitForPart` picks; leftover small
 * parts may pair up among themselves. Thresholds are fractions of `digitHeight`, so they hold at
 * any writing size.
 */
export function groupStrokes(blobs: readonly InkBlob[], labels: LabelImage, digitHeight: number): DigitGroup[] {
  const n = blobs.length;
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const union = (i: number, j: number): void => {
    parent[find(i)] = find(j);
  };
  const maxGap = ATTACH_MAX_GAP_FRACTION * digitHeight;
  const major = blobs.map((b) => b.box.height >= MAJOR_HEIGHT_FRACTION * digitHeight);

  for (let i = 0; i < n; i++) {
    if (!major[i]) continue;
    for (let j = i + 1; j < n; j++) {
      if (!major[j]) continue;
      const [a, b] = [blobs[i], blobs[j]];
      if (
        belongTogether(labels, a, b, maxGap) ||
        formOpenFour(labels, a, b, digitHeight) ||
        formHatOfFive(labels, a, b, digitHeight) ||
        formHatOfFive(labels, b, a, digitHeight)
      ) {
        union(i, j);
      }
    }
  }

  const digits = new Map<number, DigitCandidate>();
  for (let i = 0; i < n; i++) {
    if (!major[i]) continue;
    const root = find(i);
    const digit = digits.get(root);
    if (digit) {
      digit.box = unionBox(digit.box, blobs[i].box);
      digit.blobs.push(blobs[i]);
    } else {
      digits.set(root, { box: blobs[i].box, blobs: [blobs[i]] });
    }
  }

  const attachments: [number, number][] = [];
  const loose: number[] = [];
  for (let i = 0; i < n; i++) {
    if (major[i]) continue;
    const target = findDigitForPart(blobs[i], digits, labels, digitHeight);
    if (target === undefined) loose.push(i);
    else attachments.push([i, target]);
  }
  for (let a = 0; a < loose.length; a++) {
    for (let b = a + 1; b < loose.length; b++) {
      if (belongTogether(labels, blobs[loose[a]], blobs[loose[b]], maxGap)) union(loose[a], loose[b]);
    }
  }
  for (const [part, digit] of attachments) union(part, digit);

  const groups = new Map<number, DigitGroup>();
  for (let i = 0; i < n; i++) {
    const root = find(i);
    const group = groups.get(root);
    const blob = blobs[i];
    if (group) {
      group.labels.push(blob.label);
      group.box = unionBox(group.box, blob.box);
      group.area += blob.area;
    } else {
      groups.set(root, { labels: [blob.label], box: blob.box, area: blob.area });
    }
  }
  return [...groups.values()];
}
