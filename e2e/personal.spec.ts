import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { parseReplaySet } from '../src/inference/replay-guard';
import { recordBusyStates, waitForAppReady } from './support/app';
import { Digitpad, expect, test } from './support/fixtures';
import { statusOf } from './support/hooks';
import { DIGIT_SAMPLE_IDS, NUMBER_SAMPLES, placedDigit, placedNumber } from './support/samples';

/** A digit other than `read`, which the person says it is (any other digit: the test does not pick one the model likes). */
function anotherDigit(read: string): number {
  return (Number(read) + 3) % 10;
}

/** Opens the corrections of the `index`th digit card as this project's person would (keyboard on desktop, a tap on the phone). */
async function openCorrections(app: Digitpad, index: number): Promise<void> {
  const card = app.page.getByTestId('digit').nth(index);
  if (app.input === 'touch') await card.tap();
  else {
    await card.focus();
    await app.page.keyboard.press('Enter');
  }
  await expect(app.page.getByTestId('correct-menu')).toBeVisible();
}

/**
 * In a page opened without the app fixture (the replay set withheld by the test): writes a 7,
 * corrects it to another digit (deliberately wrong, so only learning explains a later reading)
 * and checks that the corrected text is shown. `readAgain` clears the pad, writes the same 7
 * and returns its reading.
 */
async function correctSevenWrongly(page: Page): Promise<{ app: Digitpad; said: number; readAgain: () => Promise<string> }> {
  const app = new Digitpad(page, 'mouse');
  const seven = placedDigit(DIGIT_SAMPLE_IDS[7], await app.padSize());
  await app.draw(seven);
  const read = await app.read();
  expect(read).toBe('7');
  const said = anotherDigit(read);
  await openCorrections(app, 0);
  await app.press(page.getByTestId(`correct-${said}`));
  expect(await app.read()).toBe(String(said));
  const readAgain = async () => {
    await app.press(app.clearButton);
    await app.draw(seven);
    return app.read();
  };
  return { app, said, readAgain };
}

/** The detail of the app's `digitpad:corrections-taken` mark: what the worker took at this start. */
function correctionsTaken(page: Page): Promise<{ kept: number; reused: number } | null | undefined> {
  return page.evaluate(() => (performance.getEntriesByName('digitpad:corrections-taken')[0] as PerformanceMark | undefined)?.detail);
}

/**
 * Overwrites the prototypes kept with each stored correction with NaNs (as a damaged disk or an
 * old bug might), leaving the corrections themselves; returns how many were damaged.
 */
function damageKeptPrototypes(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const opening = indexedDB.open('digitpad-handwriting', 1);
        opening.onerror = () => reject(opening.error);
        opening.onsuccess = () => {
          const db = opening.result;
          const transaction = db.transaction('corrections', 'readwrite');
          let damaged = 0;
          const cursor = transaction.objectStore('corrections').openCursor();
          cursor.onsuccess = () => {
            if (!cursor.result) return;
            const row = cursor.result.value;
            if (row.prototypes) {
              row.prototypes.embeddings = new Float32Array(row.prototypes.embeddings.length).fill(NaN);
              cursor.result.update(row);
              damaged++;
            }
            cursor.result.continue();
          };
          transaction.oncomplete = () => {
            db.close();
            resolve(damaged);
          };
          transaction.onerror = () => reject(transaction.error);
        };
      }),
  );
}

/** The "Your handwriting" panel, opened. */
async function openPanel(app: Digitpad) {
  await app.press(app.page.getByTestId('handwriting'));
  const panel = app.page.getByTestId('handwriting-panel');
  await expect(panel).toBeVisible();
  return panel;
}

async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

// These tests correct digits to digits they are not (any other digit, not one the model likes):
// the replay guard would refuse most of them, so the model's replay set is withheld here; the
// guard has its own test below.
test.use({ replaySet: false });

test('each digit read is a card that offers the corrections; a pick shows the corrected text at once', async ({ app, page }) => {
  await app.draw(placedNumber(NUMBER_SAMPLES.ids, await app.padSize()).flat());
  const read = await app.read();
  expect(read).toBe(NUMBER_SAMPLES.text);
  await expect(page.getByTestId('digit')).toHaveCount(read.length);

  // Escape closes the menu, leaves the ink and the reading alone, and gives focus back to the card.
  await openCorrections(app, 1);
  for (const id of ['correct-none', ...Array.from({ length: 10 }, (_, d) => `correct-${d}`)]) await expect(page.getByTestId(id)).toBeVisible();
  await expect(page.getByTestId(`correct-${read[1]}`)).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('correct-menu')).toBeHidden();
  await expect(app.result).toHaveText(read, { useInnerText: false });
  if (app.input !== 'touch') await expect(page.getByTestId('digit').nth(1)).toBeFocused();

  // The second digit is another one, the fourth not a digit at all.
  const busy = await recordBusyStates(page);
  const said = anotherDigit(read[1]);
  await openCorrections(app, 1);
  await app.press(page.getByTestId(`correct-${said}`));
  const expected = read.slice(0, 1) + String(said) + read.slice(2);
  expect(await app.read()).toBe(expected);
  // Busy is set and cleared in the same task (the corrected reading is shown at once): an observer sees it end idle.
  expect((await busy()).at(-1), 'idle once the corrected reading is shown').toBe('false');
  await expect(page.getByTestId('correct-menu')).toBeHidden();
  await expect(page.getByTestId('digit').nth(1)).toContainText('corrected by you');
  await expect(statusOf(page)).toContainText(`Learned: ink like this now reads ${said}`);
  // The classifier worker's time to learn it (the budget is 300 ms on the 2-core machine; a shared CI machine gets slack).
  const learnMs = await page.evaluate(() => (performance.getEntriesByName('digitpad:correction-learned').at(-1) as PerformanceMark).detail.learnMs as number);
  console.log(`correction learned in ${learnMs.toFixed(1)} ms of worker time`);
  expect(learnMs).toBeLessThan(1_000);

  await openCorrections(app, 3);
  await app.press(page.getByTestId('correct-none'));
  expect(await app.read()).toBe(`${expected.slice(0, 3)}?${expected.slice(4)}`);
  await expect(statusOf(page)).toContainText('Learned');
  // The boxes over the ink say the same.
  await expect(page.locator('.boxes .box span')).toHaveText([...`${expected.slice(0, 3)}?${expected.slice(4)}`]);
});

test('a correction survives a reload: the same digit written again reads as the person said; other digits as before', async ({ app, page }) => {
  const pad = await app.padSize();
  const seven = placedDigit(DIGIT_SAMPLE_IDS[7], pad);
  const zero = placedDigit(DIGIT_SAMPLE_IDS[0], pad);
  await app.draw(zero);
  const zeroRead = await app.read();
  await app.press(app.clearButton);
  await app.draw(seven);
  const read = await app.read();
  const said = anotherDigit(read);
  await openCorrections(app, 0);
  await app.press(page.getByTestId(`correct-${said}`));
  expect(await app.read()).toBe(String(said));
  await expect(statusOf(page)).toContainText('Learned');

  await page.reload();
  await waitForAppReady(page);
  await expect(page.getByTestId('handwriting')).toHaveText('Your handwriting (1)');
  // The mark `npm run bench` times start-up with stored corrections by: the worker took this one
  // before reading, with the prototypes kept with it (nothing embedded again).
  expect(await correctionsTaken(page)).toMatchObject({ kept: 1, reused: 1 });
  await app.draw(seven);
  expect(await app.read(), 'the corrected digit, written again after a reload').toBe(String(said));
  await app.press(app.clearButton);
  await app.draw(zero);
  expect(await app.read(), 'a digit far from the correction').toBe(zeroRead);

  // Damaged kept prototypes are computed again from the crop: the correction is neither lost nor changed.
  expect(await damageKeptPrototypes(page)).toBe(1);
  await page.reload();
  await waitForAppReady(page);
  expect(await correctionsTaken(page)).toMatchObject({ kept: 1, reused: 0 });
  await expect(page.getByTestId('handwriting')).toHaveText('Your handwriting (1)');
  await app.draw(seven);
  expect(await app.read(), 'the corrected digit, after its kept prototypes were damaged').toBe(String(said));

  // Forgotten, the digit reads as the model reads it again.
  const panel = await openPanel(app);
  await app.press(page.getByTestId('forget-corrections'));
  await expect(page.getByTestId('corrections-count')).toHaveText('No corrections kept.');
  await app.press(panel.getByTestId('close-handwriting'));
  await app.press(app.clearButton);
  await app.draw(seven);
  expect(await app.read()).toBe(read);
});

test.describe('on the desktop', () => {
  test.skip(({ hasTouch }) => hasTouch, 'files and downloads work the same on the phone viewport');

  test('export → forget all → import gives the corrections back; a bad file changes nothing', async ({ app, page }) => {
    await app.draw(placedDigit(DIGIT_SAMPLE_IDS[4], await app.padSize()));
    const read = await app.read();
    await openCorrections(app, 0);
    await app.press(page.getByTestId(`correct-${anotherDigit(read)}`));
    await expect(statusOf(page)).toContainText('Learned');
    await openCorrections(app, 0);
    await app.press(page.getByTestId('correct-none'));
    await expect(statusOf(page)).toContainText('Learned');

    await openPanel(app);
    const count = page.getByTestId('corrections-count');
    await expect(count).toHaveText('2 corrections kept on this device.');
    const downloading = page.waitForEvent('download');
    await page.getByTestId('export-corrections').click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^digitpad-handwriting-.*\.json$/);
    const exported = await readFile((await download.path())!);
    expect(JSON.parse(exported.toString()).corrections).toHaveLength(2);

    await page.getByTestId('forget-corrections').click();
    await expect(count).toHaveText('No corrections kept.');
    const input = page.getByTestId('import-corrections');
    for (const [name, body] of [
      ['notes.json', '{"hello": "world"}'],
      ['broken.json', exported.toString().slice(0, 400)],
      ['photo.json', 'not json at all'],
      ['bad-label.json', exported.toString().replace(/"label":[^,]+/, '"label":12')],
    ] as const) {
      await input.setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(body) });
      await expect(page.getByTestId('handwriting-status')).toContainText('Nothing was changed.');
      await expect(count).toHaveText('No corrections kept.');
    }
    await input.setInputFiles({ name: 'mine.json', mimeType: 'application/json', buffer: exported });
    await expect(page.getByTestId('handwriting-status')).toHaveText('Imported 2 corrections (2 new).');
    await expect(count).toHaveText('2 corrections kept on this device.');
    // Importing the same file again adds nothing.
    await input.setInputFiles({ name: 'mine.json', mimeType: 'application/json', buffer: exported });
    await expect(page.getByTestId('handwriting-status')).toHaveText('Imported 2 corrections (0 new).');
    await expect(count).toHaveText('2 corrections kept on this device.');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('handwriting-panel')).toBeHidden();
    await expect(app.pad).toBeVisible();
  });

  test('storage denied: a clear message, reading works, corrections apply for the session', async ({ page: denied }) => {
    // A page whose IndexedDB refuses to open, as in some private modes.
    await denied.addInitScript(() => {
      IDBFactory.prototype.open = () => {
        throw new DOMException('The user denied permission to access the database.', 'SecurityError');
      };
    });
    // Without the app fixture: the replay set withheld by hand, as the replaySet option does (the correction below is deliberately wrong).
    await denied.context().route('**/model/replay.bin', (route) => route.fulfill({ status: 404, body: 'not found' }));
    await denied.goto('/');
    await waitForAppReady(denied);
    const { app, said, readAgain } = await correctSevenWrongly(denied);
    await expect(statusOf(denied)).toContainText('for this session only');
    expect(await readAgain(), 'learned for the session').toBe(String(said));
    await openPanel(app);
    await expect(denied.getByTestId('handwriting-status')).toContainText('this browser does not let Digitpad keep them');
    await expect(denied.getByTestId('corrections-count')).toHaveText('1 correction kept for this session.');
  });
});

test('the menu and the panel are axe-clean in dark mode', async ({ app, page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await app.draw(placedDigit(DIGIT_SAMPLE_IDS[3], await app.padSize()));
  await app.read();
  await openCorrections(app, 0);
  expect(await seriousViolations(page), 'corrections menu').toEqual([]);
  await page.keyboard.press('Escape');
  await openPanel(app);
  expect(await seriousViolations(page), 'handwriting panel').toEqual([]);
});

for (const [what, fulfill] of [
  ['unreachable (HTTP 500)', { status: 500, body: 'server error' }],
  ['not a replay file', { status: 200, contentType: 'application/octet-stream', body: Buffer.from('not a replay set') }],
] as const) {
  test(`a replay file ${what} stops nothing: the app reads, and a correction is learned unchecked`, async ({ page }) => {
    await page.context().route('**/model/replay.bin', (route) => route.fulfill(fulfill));
    await page.goto('/');
    await waitForAppReady(page);
    // Deliberately wrong: with a replay set it would be refused.
    const { said, readAgain } = await correctSevenWrongly(page);
    expect(await readAgain(), 'learned without the guard').toBe(String(said));
  });
}

test.describe('with the replay set', () => {
  test.use({ replaySet: true });

  test('a correction that would change how a reference digit reads is refused, said so, and not kept; the corrected text stays', async ({ app, page }) => {
    await app.draw(placedDigit(DIGIT_SAMPLE_IDS[7], await app.padSize()));
    const read = await app.read();
    const said = anotherDigit(read); // A clean 7 said to be a 0: learning it would turn the reference 7s.
    await openCorrections(app, 0);
    await app.press(page.getByTestId(`correct-${said}`));
    expect(await app.read()).toBe(String(said));
    await expect(statusOf(page)).toContainText(`Corrected to ${said}. Could not learn this correction: it would change how`);
    await expect(page.getByTestId('handwriting')).toHaveText('Your handwriting');
    await app.press(app.clearButton);
    await app.draw(placedDigit(DIGIT_SAMPLE_IDS[7], await app.padSize()));
    expect(await app.read(), 'the same digit, written again').toBe(read);
  });

  test('an import is checked like a correction: one that would change a reference digit is left out, the rest kept', async ({ app, page }) => {
    test.skip(app.input === 'touch', 'files work the same on the phone viewport');
    // Two reference crops of the shipped replay set: a 3 said to be a 3 (harmless) and a 7 said to
    // be a 0 (learning it would read that very 7 as 0).
    const replay = parseReplaySet(new Uint8Array(await readFile('public/model/replay.bin')));
    const crop = (label: number) => {
      const i = replay.labels.indexOf(label);
      const bytes = Uint8Array.from(replay.crops.subarray(i * 784, (i + 1) * 784), (v) => Math.round(v * 255));
      return Buffer.from(bytes).toString('base64');
    };
    const file = { format: 'digitpad-handwriting', version: 1, corrections: [{ label: 3, at: 1, crop: crop(3) }, { label: 0, at: 2, crop: crop(7) }] };
    await openPanel(app);
    await page.getByTestId('import-corrections').setInputFiles({ name: 'theirs.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
    await expect(page.getByTestId('handwriting-status')).toHaveText('Imported 2 corrections (1 new; 1 correction left out: learning it would change how the app reads digits nobody corrected).');
    await expect(page.getByTestId('corrections-count')).toHaveText('1 correction kept on this device.');
  });
});
