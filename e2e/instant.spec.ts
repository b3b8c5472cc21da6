import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './support/fixtures';
import { placeDigit } from '../scripts/lib/pendigits';
import { NUMBER_SAMPLES, OPEN_FOUR_ID, placedNumber, sample } from './support/samples';
import type { PadStroke } from './support/replay';

// The reading appears at each pen-up, with no fixed wait, and the last one shown is always the
// whole ink's; a reading that another stroke may still change is shown provisional.

const toPad = (strokes: number[][][]): PadStroke[] => strokes.map((s) => s.map(([x, y]) => [x, y] as const));

test('shows a reading at each pen-up, provisional until the pen rests, and the whole digit after its last stroke', async ({ app, page }) => {
  // Records every state the result passes through, so a brief one cannot be missed.
  await page.evaluate(() => {
    const result = document.querySelector('[data-testid="result"]')!;
    const seen: string[] = [];
    (window as unknown as { seen: string[] }).seen = seen;
    new MutationObserver(() => seen.push(`${result.getAttribute('aria-busy')}|${result.hasAttribute('data-provisional')}|${result.textContent}`)).observe(result, {
      attributes: true,
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
  const size = await app.padSize();
  const four = placeDigit(sample(OPEN_FOUR_ID), size.width, size.height);
  expect(four).toHaveLength(2);

  // A person writing slowly: the first stroke, a long rest, then the second.
  await app.draw(toPad([four[0]]));
  const first = await app.read();
  expect(first.length, 'a reading of the first stroke is shown without waiting for more').toBeGreaterThan(0);
  // The pen rests: the reading settles.
  await expect(app.result).not.toHaveAttribute('data-provisional');
  await app.draw(toPad([four[1]]));
  expect(await app.read()).toBe('4');
  await expect(app.result).not.toHaveAttribute('data-provisional');

  const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
  // Shown provisional right after a pen-up, never while busy with newer ink.
  expect(seen.some((s) => s.startsWith('false|true|')), seen.join('\n')).toBe(true);
});

test.describe('dark mode', () => {
  test.use({ colorScheme: 'dark' });

  test('follows the system: light ink on a dark pad, the same reading, and axe finds nothing serious', async ({ app, page }) => {
    const colours = await page.evaluate(() => {
      const luminance = (css: string) => {
        const [r, g, b] = (css.match(/[\d.]+/g) ?? ['0', '0', '0']).map(Number);
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
      };
      const pad = getComputedStyle(document.querySelector('[data-testid="pad"]')!);
      return { ink: luminance(pad.color), paper: luminance(pad.backgroundColor), page: luminance(getComputedStyle(document.body).backgroundColor || getComputedStyle(document.documentElement).backgroundColor) };
    });
    expect(colours.ink).toBeGreaterThan(0.7);
    expect(colours.paper).toBeLessThan(0.2);

    await app.draw(placedNumber(NUMBER_SAMPLES.ids, await app.padSize()).flat());
    expect(await app.read()).toBe(NUMBER_SAMPLES.text);

    const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(serious).toEqual([]);
  });
});
