// How the app reads real people's writing: `npm run eval:real [-- flags]`.
//
// Builds the app (unless --no-build), serves it, and replays real trajectories (data/: pendigits,
// 30 writers, or with --source unipen the UNIPEN digits, 113 writers of 8 sources) as real pointer input in Chromium, reading the answer through the automation contract
// (e2e/support): (a) single digits, centred or at a random size (35–70% of the pad's height) and
// position; (b) numbers of 2–8 digits by one writer, left to right with uneven gaps (some nearly
// touching), uneven sizes and a slanted baseline; (c) the same on a 390×844 phone with touch input.
// Phone samples are the first N desktop samples placed the same way on the phone's pad, so the
// phone − desktop difference is measured on the same writing.
//
// Every table reports the held-out writers (pendigits: HELD_OUT_WRITERS; UNIPEN: unipenSplit, a
// fifth of the writers plus the whole "ibm" source; never trained on) apart from the training writers. Tune only on training writers; held-out numbers are for judging.
//
// Writes reports/eval-real.json and reports/eval-real-failures.png (for each failure: what was
// expected, what was read, the ink, and the 28×28 crops the model saw).
//
// Flags: --singles N --numbers N --phone-singles N --phone-numbers N --seed S
//        --source pendigits|unipen --writers all|held-out|training --held-out-share F (with all: share of samples from held-out
//        writers, default 0.5 so both groups get the same n) --no-build --dist DIR --report FILE
//        --sheet FILE --sheet-max N --quiet
import { chromiumLaunchOptions, PHONE } from '../e2e/support/chromium';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, devices, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from '@playwright/test';
import { penWidthFor } from '../src/canvas/pen-width';
import { createRandom, deriveSeed } from '../src/training/create-random';
import { openApp, padOf, readResultPromptly } from '../e2e/support/app';
import { replayStrokes, type InputKind, type PadStroke, type ReplayOptions } from '../e2e/support/replay';
import { startStaticServer } from '../e2e/support/static-server';
import {
  indexByWriter,
  loadPendigits,
  placeDigit,
  placeNumber,
  randomLayout,
  strokeBounds,
  transformStrokes,
  type NumberLayout,
  type PenDigit,
} from './lib/pendigits';
import { HELD_OUT_WRITERS, HEIGHT_RANGE } from './lib/pendigits-crops';
import { loadUnipen, UNIPEN_DIGITS_PATH, unipenSplit } from './lib/unipen';
import type { Stroke } from '../src/pipeline/rasterize-strokes';

const { values: flags } = parseArgs({
  options: {
    singles: { type: 'string', default: '400' },
    numbers: { type: 'string', default: '120' },
    'phone-singles': { type: 'string', default: '150' },
    'phone-numbers': { type: 'string', default: '40' },
    seed: { type: 'string', default: '1' },
    writers: { type: 'string', default: 'all' },
    source: { type: 'string', default: 'pendigits' },
    'held-out-share': { type: 'string', default: '0.5' },
    'no-build': { type: 'boolean', default: false },
    dist: { type: 'string', default: 'dist' },
    report: { type: 'string', default: 'reports/eval-real.json' },
    sheet: { type: 'string', default: 'reports/eval-real-failures.png' },
    'sheet-max': { type: 'string', default: '150' },
    quiet: { type: 'boolean', default: false },
  },
});

const count = (name: keyof typeof flags): number => {
  const n = Number(flags[name]);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number ≥ 0, not ${flags[name]}`);
  return n;
};
const WRITERS = flags.writers as 'all' | 'held-out' | 'training';
if (!['all', 'held-out', 'training'].includes(WRITERS)) throw new Error(`--writers must be all, held-out or training`);
const HELD_OUT_SHARE = Number(flags['held-out-share']);
const SOURCE = flags.source as 'pendigits' | 'unipen';
if (!['pendigits', 'unipen'].includes(SOURCE)) throw new Error('--source must be pendigits or unipen');
const SEED = Number(flags.seed);

/**
 * Replay: moves 4 px apart, acknowledged every 3 source points (the page gets pointermoves with
 * coalesced events, as from a fast real pointer), a pen-up pause under the app's read debounce.
 */
const REPLAY: ReplayOptions = { maxStepPx: 4, pointDelayMs: 0, penUpDelayMs: 80, pipeline: 3 };
/** Digits of a number use no smaller share of the pad than this (before shrinking to fit its width). */
const NUMBER_HEIGHT_RANGE = [0.35, 0.6] as const;
/** Inked edges stay this far (CSS px) inside the pad. */
const PAD_MARGIN = 3;


/** The desktop and phone the e2e suite uses (playwright.config.ts). */
const DEVICES: Record<Device, BrowserContextOptions> = {
  desktop: { ...devices['Desktop Chrome'] },
  phone: PHONE,
};

type Device = 'desktop' | 'phone';
type Group = 'held-out' | 'training';
type Placement = 'centred' | 'random' | 'number';

// ---------------------------------------------------------------------------------------------
// Samples: drawn once, placed on any pad by fractions, so desktop and phone write the same things.

interface Spec {
  kind: 'single' | 'number';
  index: number;
  group: Group;
  writer: string;
  digits: PenDigit[];
  placement: Placement;
  /** Digit height as a share of the pad height. */
  height: number;
  /** Where the ink sits within the pad's free space, 0–1 (random placements and numbers). */
  posX: number;
  posY: number;
  layout?: NumberLayout;
}

/** UNIPEN writer names carry their source ("ibm/NAME"), which unipenSplit needs. */
const groupOf = (writer: string): Group =>
  SOURCE === 'unipen'
    ? unipenSplit({ writer, contributor: writer.split('/')[0] }) === 'train'
      ? 'training'
      : 'held-out'
    : HELD_OUT_WRITERS.has(writer)
      ? 'held-out'
      : 'training';

/**
 * The samples for a seed. Singles and numbers draw from their own streams and sample i does not
 * depend on how many are drawn, so a smaller run is a prefix of a larger one with the same seed.
 */
function makeSpecs(all: PenDigit[], singles: number, numbers: number, seed: number): { singles: Spec[]; numbers: Spec[] } {
  const pools: Record<Group, PenDigit[]> = {
    'held-out': all.filter((d) => groupOf(d.writer) === 'held-out'),
    training: all.filter((d) => groupOf(d.writer) === 'training'),
  };
  const byWriter = indexByWriter(all);
  const writersOf: Record<Group, string[]> = {
    'held-out': [...byWriter.keys()].filter((w) => groupOf(w) === 'held-out').sort(),
    training: [...byWriter.keys()].filter((w) => groupOf(w) === 'training').sort(),
  };
  // With --writers all, a fixed share of samples (deterministic, spread evenly) comes from held-out writers.
  const groupFor = (i: number): Group => {
    if (WRITERS !== 'all') return WRITERS;
    return Math.floor((i + 1) * HELD_OUT_SHARE) > Math.floor(i * HELD_OUT_SHARE) ? 'held-out' : 'training';
  };
  let random = createRandom(deriveSeed(seed, 1));
  const pick = <T>(items: readonly T[]): T => items[random.int(items.length)];

  // Classes balanced within each group: a shuffled 0–9 cycle per group.
  const cycles: Record<Group, number[]> = { 'held-out': [], training: [] };
  const nextLabel = (group: Group): number => {
    if (cycles[group].length === 0) {
      const labels = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
      for (let i = labels.length - 1; i > 0; i--) {
        const j = random.int(i + 1);
        [labels[i], labels[j]] = [labels[j], labels[i]];
      }
      cycles[group] = labels;
    }
    return cycles[group].pop()!;
  };

  const singleSpecs: Spec[] = [];
  for (let i = 0; i < singles; i++) {
    const group = groupFor(i);
    const label = nextLabel(group);
    const digit = pick(pools[group].filter((d) => d.label === label));
    const centred = random.next() < 1 / 3;
    singleSpecs.push({
      kind: 'single',
      index: i,
      group,
      writer: digit.writer,
      digits: [digit],
      placement: centred ? 'centred' : 'random',
      height: centred ? 0.6 : random.uniform(HEIGHT_RANGE[0], HEIGHT_RANGE[1]),
      posX: random.next(),
      posY: random.next(),
    });
  }

  random = createRandom(deriveSeed(seed, 2));
  const numberSpecs: Spec[] = [];
  for (let i = 0; i < numbers; i++) {
    const group = groupFor(i);
    const writer = pick(writersOf[group]);
    const perLabel = byWriter.get(writer)!;
    const length = 2 + random.int(7); // 2–8 digits
    const digits: PenDigit[] = [];
    for (let k = 0; k < length; k++) {
      const label = random.int(10);
      const unused = perLabel[label].filter((d) => !digits.includes(d));
      digits.push(pick(unused.length > 0 ? unused : perLabel[label]));
    }
    numberSpecs.push({
      kind: 'number',
      index: i,
      group,
      writer,
      digits,
      placement: 'number',
      height: random.uniform(NUMBER_HEIGHT_RANGE[0], NUMBER_HEIGHT_RANGE[1]),
      posX: random.next(),
      posY: random.next(),
      layout: randomLayout(() => random.next(), length),
    });
  }
  return { singles: singleSpecs, numbers: numberSpecs };
}

const expectedText = (spec: Spec): string => spec.digits.map((d) => d.label).join('');

/** The spec's strokes in pad CSS px for a pad of this size. */
function placeOnPad(spec: Spec, pad: { width: number; height: number }): PadStroke[] {
  const pen = penWidthFor(pad);
  let strokes: Stroke[];
  if (spec.placement === 'centred') strokes = placeDigit(spec.digits[0], pad.width, pad.height, spec.height);
  else if (spec.placement === 'random') {
    const b = strokeBounds(spec.digits[0].strokes);
    const w = Math.max(1, b.maxX - b.minX);
    const h = Math.max(1, b.maxY - b.minY);
    const scale = Math.min((spec.height * pad.height) / h, (0.9 * pad.width) / w);
    strokes = transformStrokes(spec.digits[0].strokes, scale, -b.minX * scale, -b.minY * scale);
  } else {
    strokes = placeNumber(spec.digits, spec.layout!, pad.width, pad.height, pen, spec.height).strokes;
  }
  if (spec.placement !== 'centred') {
    // Move the ink to (posX, posY) of the free space left around it.
    const b = strokeBounds(strokes);
    const freeX = Math.max(0, pad.width - (b.maxX - b.minX) - pen - 2 * PAD_MARGIN);
    const freeY = Math.max(0, pad.height - (b.maxY - b.minY) - pen - 2 * PAD_MARGIN);
    const left = PAD_MARGIN + pen / 2 + spec.posX * freeX;
    const top = PAD_MARGIN + pen / 2 + spec.posY * freeY;
    strokes = transformStrokes(strokes, 1, left - b.minX, top - b.minY);
  }
  const clamp = (v: number, max: number) => Math.min(max - 0.5, Math.max(0.5, v));
  return strokes.map((s) => s.map(([x, y]) => [clamp(x, pad.width), clamp(y, pad.height)] as const));
}

// ---------------------------------------------------------------------------------------------
// Running a condition in the browser.

interface Condition {
  name: string;
  device: Device;
  input: InputKind;
  specs: Spec[];
}

interface SampleResult {
  condition: string;
  kind: Spec['kind'];
  index: number;
  group: Group;
  writer: string;
  ids: string[];
  placement: Placement;
  height: number;
  expected: string;
  /** The result text; null when no reading came (timeout, error). */
  read: string | null;
  ok: boolean;
  error?: string;
  drawMs: number;
  readMs: number;
  /** For failures: the crops the model saw (PNG data URLs) and the ink on the pad, for the contact sheet. */
  crops?: string[];
  /** For failures: the app's words under each crop (confidence, runner-up). */
  captions?: string[];
  ink?: { width: number; height: number; strokes: number[][][] };
}

function log(message: string): void {
  if (!flags.quiet) console.log(message);
}

async function openContext(browser: Browser, device: Device, baseURL: string): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ ...DEVICES[device], baseURL });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.stack ?? String(error)));
  await openApp(page);
  return { context, page, errors };
}

async function clearPad(page: Page, input: InputKind): Promise<void> {
  const clear = page.getByTestId('clear');
  if (input === 'touch') await clear.tap();
  else await clear.click();
  const text = await readResultPromptly(page);
  if (text !== '') throw new Error(`the pad did not clear: result is ${JSON.stringify(text)}`);
}

async function runCondition(browser: Browser, baseURL: string, condition: Condition): Promise<{ results: SampleResult[]; pad: { width: number; height: number }; pageErrors: string[] }> {
  let { context, page, errors } = await openContext(browser, condition.device, baseURL);
  const pageErrors: string[] = [];
  const padBox = async () => {
    const box = await padOf(page).boundingBox();
    if (!box) throw new Error('the pad is not visible');
    return { width: box.width, height: box.height };
  };
  const pad = await padBox();
  log(`\n${condition.name}: ${condition.specs.length} samples, pad ${pad.width.toFixed(0)}×${pad.height.toFixed(0)} CSS px, ${condition.input} input`);
  const results: SampleResult[] = [];
  const started = Date.now();
  for (const spec of condition.specs) {
    const strokes = placeOnPad(spec, pad);
    const expected = expectedText(spec);
    const result: SampleResult = {
      condition: condition.name,
      kind: spec.kind,
      index: spec.index,
      group: spec.group,
      writer: spec.writer,
      ids: spec.digits.map((d) => d.id),
      placement: spec.placement,
      height: Number(spec.height.toFixed(3)),
      expected,
      read: null,
      ok: false,
      drawMs: 0,
      readMs: 0,
    };
    try {
      const t0 = performance.now();
      await replayStrokes(page, padOf(page), strokes, condition.input, REPLAY);
      const t1 = performance.now();
      result.read = await readResultPromptly(page);
      const t2 = performance.now();
      result.drawMs = Math.round(t1 - t0);
      result.readMs = Math.round(t2 - t1);
      result.ok = result.read === expected;
      if (!result.ok) {
        // The crops the model saw, each with its card's words ("?", "maybe 4 (45%)", "or 9 (30%)").
        const cards = await page.locator('[data-testid=digits] canvas').evaluateAll((canvases) =>
          canvases.map((c) => ({
            crop: (c as HTMLCanvasElement).toDataURL('image/png'),
            caption: [...(c.closest('li')?.querySelectorAll('span') ?? [])].map((e) => e.textContent ?? '').join(' '),
          })),
        );
        result.crops = cards.map((c) => c.crop);
        result.captions = cards.map((c) => c.caption.replace(/[()]/g, '').replace(/\s+/g, ' ').trim());
      }
      await clearPad(page, condition.input);
    } catch (error) {
      result.error = error instanceof Error ? error.message.split('\n')[0] : String(error);
      log(`  #${spec.index}: ${result.error} — reopening the app`);
      pageErrors.push(...errors);
      await context.close().catch(() => undefined);
      ({ context, page, errors } = await openContext(browser, condition.device, baseURL));
    }
    if (!result.ok) {
      result.ink = { width: pad.width, height: pad.height, strokes: strokes.map((s) => s.map(([x, y]) => [Math.round(x), Math.round(y)])) };
    }
    results.push(result);
    const done = results.length;
    if (done % 20 === 0 || done === condition.specs.length) {
      const right = results.filter((r) => r.ok).length;
      const perSample = (Date.now() - started) / done;
      log(`  ${done}/${condition.specs.length}  ${right} right  ${perSample.toFixed(0)} ms/sample`);
    }
  }
  pageErrors.push(...errors);
  await context.close();
  return { results, pad, pageErrors };
}

// ---------------------------------------------------------------------------------------------
// Scoring.

interface Rate {
  n: number;
  right: number;
  accuracy: number | null;
  /** Wilson 95% interval. */
  low: number | null;
  high: number | null;
}

function rate(right: number, n: number): Rate {
  if (n === 0) return { n, right, accuracy: null, low: null, high: null };
  const z = 1.96;
  const p = right / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  return { n, right, accuracy: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

type Op = { kind: 'match' | 'sub'; expected: string; read: string } | { kind: 'miss'; expected: string } | { kind: 'extra'; read: string };

/** Levenshtein alignment of the expected digits with the text read (for per-digit scores and confusions). */
function align(expected: string, read: string): Op[] {
  const n = expected.length;
  const m = read.length;
  const d = Array.from({ length: n + 1 }, (_, i) => Array.from({ length: m + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (expected[i - 1] === read[j - 1] ? 0 : 1));
    }
  }
  const ops: Op[] = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0 && d[i][j] === d[i - 1][j - 1] + (expected[i - 1] === read[j - 1] ? 0 : 1)) {
      ops.push({ kind: expected[i - 1] === read[j - 1] ? 'match' : 'sub', expected: expected[i - 1], read: read[j - 1] });
      i--;
      j--;
    } else if (i > 0 && d[i][j] === d[i - 1][j] + 1) {
      ops.push({ kind: 'miss', expected: expected[--i] });
    } else {
      ops.push({ kind: 'extra', read: read[--j] });
    }
  }
  return ops.reverse();
}

/** How one reading went wrong, as a confusion label: "7→1", "4→?", "1→∅" (nothing read), "1→11" (split). */
function confusionsOf(r: SampleResult): string[] {
  if (r.ok) return [];
  if (r.read === null) return [`${r.expected}→(no reading)`];
  if (r.kind === 'single') return [`${r.expected}→${r.read === '' ? '∅' : r.read}`];
  return align(r.expected, r.read)
    .filter((op) => op.kind !== 'match')
    .map((op) => (op.kind === 'sub' ? `${op.expected}→${op.read}` : op.kind === 'miss' ? `${op.expected}→∅` : `∅→${op.read}`));
}

interface ConditionSummary {
  name: string;
  kind: Spec['kind'];
  device: Device;
  input: InputKind;
  pad: { width: number; height: number };
  /** Exact reading (whole text right) overall and per writer group. */
  exact: Record<'all' | Group, Rate>;
  /** Per expected class: the digit read right (singles: the sample; numbers: aligned digits). */
  perClass: Record<string, Record<'all' | Group, Rate>>;
  /** Numbers: per digit count; singles: per placement. */
  breakdown: Record<string, Record<'all' | Group, Rate>>;
  /** Numbers: fewer or more digits read than written; singles: nothing, several, "?" or a wrong digit. */
  outcomes: Record<string, Record<'all' | Group, number>>;
  /** Numbers: digits right after alignment. */
  digits?: Record<'all' | Group, Rate>;
  confusions: { pair: string; count: number; heldOut: number }[];
  msPerSample: { draw: number; read: number; total: number };
  errors: number;
}

const GROUPS = ['all', 'held-out', 'training'] as const;

function byGroup<T>(results: SampleResult[], f: (rs: SampleResult[]) => T): Record<'all' | Group, T> {
  return {
    all: f(results),
    'held-out': f(results.filter((r) => r.group === 'held-out')),
    training: f(results.filter((r) => r.group === 'training')),
  };
}

function summarise(condition: Condition, pad: { width: number; height: number }, results: SampleResult[]): ConditionSummary {
  const kind = condition.specs[0]?.kind ?? 'single';
  const exact = byGroup(results, (rs) => rate(rs.filter((r) => r.ok).length, rs.length));

  const perClass: ConditionSummary['perClass'] = {};
  for (let c = 0; c <= 9; c++) {
    const label = String(c);
    perClass[label] = byGroup(results, (rs) => {
      let n = 0;
      let right = 0;
      for (const r of rs) {
        if (kind === 'single') {
          if (r.expected !== label) continue;
          n++;
          if (r.ok) right++;
        } else {
          const ops = r.read === null ? [...r.expected].map((e) => ({ kind: 'miss', expected: e }) as Op) : align(r.expected, r.read);
          for (const op of ops) {
            if (op.kind === 'extra' || op.expected !== label) continue;
            n++;
            if (op.kind === 'match') right++;
          }
        }
      }
      return rate(right, n);
    });
  }

  const breakdown: ConditionSummary['breakdown'] = {};
  const keys = kind === 'single' ? ['centred', 'random'] : ['2', '3', '4', '5', '6', '7', '8'];
  for (const key of keys) {
    const matching = results.filter((r) => (kind === 'single' ? r.placement === key : String(r.expected.length) === key));
    if (matching.length > 0) breakdown[kind === 'single' ? key : `${key} digits`] = byGroup(matching, (rs) => rate(rs.filter((r) => r.ok).length, rs.length));
  }

  const outcomeOf = (r: SampleResult): string => {
    if (r.ok) return 'right';
    if (r.read === null) return 'no reading (error)';
    if (kind === 'single') {
      if (r.read === '') return 'nothing read';
      if (r.read.length > 1) return 'several digits read';
      return r.read === '?' ? 'unsure (?)' : 'wrong digit';
    }
    if (r.read.length < r.expected.length) return 'fewer digits read';
    if (r.read.length > r.expected.length) return 'more digits read';
    return r.read.includes('?') ? 'right count, some unsure (?)' : 'right count, wrong digit(s)';
  };
  const outcomes: ConditionSummary['outcomes'] = {};
  for (const r of results) {
    const o = outcomeOf(r);
    outcomes[o] ??= { all: 0, 'held-out': 0, training: 0 };
    outcomes[o].all++;
    outcomes[o][r.group]++;
  }

  const digits =
    kind === 'number'
      ? byGroup(results, (rs) => {
          let n = 0;
          let right = 0;
          for (const r of rs) {
            n += r.expected.length;
            if (r.read !== null) right += align(r.expected, r.read).filter((op) => op.kind === 'match').length;
          }
          return rate(right, n);
        })
      : undefined;

  const tally = new Map<string, { count: number; heldOut: number }>();
  for (const r of results) {
    for (const pair of confusionsOf(r)) {
      const t = tally.get(pair) ?? { count: 0, heldOut: 0 };
      t.count++;
      if (r.group === 'held-out') t.heldOut++;
      tally.set(pair, t);
    }
  }
  const confusions = [...tally].map(([pair, t]) => ({ pair, ...t })).sort((a, b) => b.count - a.count || a.pair.localeCompare(b.pair));

  const timed = results.filter((r) => r.read !== null);
  const mean = (f: (r: SampleResult) => number) => (timed.length ? Math.round(timed.reduce((s, r) => s + f(r), 0) / timed.length) : 0);
  return {
    name: condition.name,
    kind,
    device: condition.device,
    input: condition.input,
    pad,
    exact,
    perClass,
    breakdown,
    outcomes,
    digits,
    confusions,
    msPerSample: { draw: mean((r) => r.drawMs), read: mean((r) => r.readMs), total: mean((r) => r.drawMs + r.readMs) },
    errors: results.filter((r) => r.read === null).length,
  };
}

/** Phone vs desktop on the same samples (the phone's specs are the first N desktop specs). */
function pairedDelta(desktop: SampleResult[], phone: SampleResult[]) {
  const byIndex = new Map(desktop.map((r) => [r.index, r]));
  const pairs = phone.map((p) => [byIndex.get(p.index)!, p] as const).filter(([d]) => d !== undefined);
  const n = pairs.length;
  const desktopRight = pairs.filter(([d]) => d.ok).length;
  const phoneRight = pairs.filter(([, p]) => p.ok).length;
  return {
    n,
    desktop: rate(desktopRight, n),
    phone: rate(phoneRight, n),
    /** Phone − desktop, in percentage points. */
    deltaPoints: n ? ((phoneRight - desktopRight) / n) * 100 : null,
    onlyDesktopRight: pairs.filter(([d, p]) => d.ok && !p.ok).length,
    onlyPhoneRight: pairs.filter(([d, p]) => !d.ok && p.ok).length,
  };
}

// ---------------------------------------------------------------------------------------------
// Printing.

const pct = (r: Rate | undefined): string =>
  !r || r.accuracy === null ? '—' : `${(r.accuracy * 100).toFixed(1)}% (${r.right}/${r.n})`;
const ci = (r: Rate): string => (r.accuracy === null ? '' : `[${(r.low! * 100).toFixed(1)}–${(r.high! * 100).toFixed(1)}]`);

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function printSummary(s: ConditionSummary): void {
  const what = s.kind === 'single' ? 'single digits read exactly' : 'numbers read exactly';
  console.log(`\n=== ${s.name} (${s.device}, ${s.input}, pad ${s.pad.width.toFixed(0)}×${s.pad.height.toFixed(0)}) ===`);
  console.log(
    table(
      ['', 'all', 'held-out writers', 'training writers'],
      [
        [what, ...GROUPS.map((g) => pct(s.exact[g]))],
        ['  95% interval', ...GROUPS.map((g) => ci(s.exact[g]))],
        ...(s.digits ? [['digits right (aligned)', ...GROUPS.map((g) => pct(s.digits![g]))]] : []),
        ...Object.entries(s.breakdown).map(([key, r]) => [`  ${key}`, ...GROUPS.map((g) => pct(r[g]))]),
      ],
    ),
  );
  console.log(`\nper class (${s.kind === 'single' ? 'samples of the class read right' : 'written digits of the class read right'}):`);
  console.log(table(['class', 'all', 'held-out', 'training'], Object.entries(s.perClass).map(([c, r]) => [c, ...GROUPS.map((g) => pct(r[g]))])));
  console.log(`\noutcomes${s.kind === 'number' ? ' (digit-count errors)' : ''}:`);
  console.log(
    table(
      ['outcome', 'all', 'held-out', 'training'],
      Object.entries(s.outcomes)
        .sort((a, b) => b[1].all - a[1].all)
        .map(([o, c]) => [o, ...GROUPS.map((g) => String(c[g]))]),
    ),
  );
  if (s.confusions.length > 0) {
    console.log('\ntop confusions (expected→read; ∅ = nothing there):');
    console.log(table(['confusion', 'count', 'held-out'], s.confusions.slice(0, 12).map((c) => [c.pair, String(c.count), String(c.heldOut)])));
  }
  console.log(`\nms per sample: draw ${s.msPerSample.draw}, wait for the reading ${s.msPerSample.read}, total ${s.msPerSample.total}${s.errors ? `; ${s.errors} errors` : ''}`);
}

// ---------------------------------------------------------------------------------------------
// Contact sheet of failures, drawn in a page.

interface SheetRow {
  title: string;
  detail: string;
  crops: string[];
  captions: string[];
  readChars: string;
  ink: { width: number; height: number; strokes: number[][][] };
}

/** Rows that keep the sheet under Chromium's 32,767 px canvas side. */
const SHEET_ROW_LIMIT = 300;

async function writeContactSheet(browser: Browser, failures: SampleResult[], file: string, requested: number): Promise<number> {
  const max = Math.min(requested, SHEET_ROW_LIMIT);
  // Spread the rows shown over the conditions when there are more failures than rows.
  const shown: SampleResult[] = [];
  const byCondition = new Map<string, SampleResult[]>();
  for (const f of failures) byCondition.set(f.condition, [...(byCondition.get(f.condition) ?? []), f]);
  for (let k = 0; shown.length < Math.min(max, failures.length); k++) {
    for (const list of byCondition.values()) if (k < list.length && shown.length < max) shown.push(list[k]);
  }
  shown.sort((a, b) => failures.indexOf(a) - failures.indexOf(b));
  const rows: SheetRow[] = shown.map((f) => ({
    title: `${f.condition} #${f.index}`,
    detail: `expected ${f.expected}  read ${f.read === null ? '(none)' : JSON.stringify(f.read)}  ${f.writer}${f.group === 'held-out' ? ' (held out)' : ''}${f.error ? `  ${f.error.slice(0, 60)}` : ''}`,
    crops: f.crops ?? [],
    captions: f.captions ?? [],
    readChars: f.read ?? '',
    ink: f.ink!,
  }));

  const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
  const page = await context.newPage();
  await page.setContent('<!doctype html><body style="margin:0"></body>');
  const dataUrl = await page.evaluate(
    async ({ rows, omitted }) => {
      const ROW = 104;
      const TEXT_W = 330;
      const INK_W = 260;
      const INK_H = 84;
      const CROP = 56; // 28×28 at 2×
      const CROP_GAP = 14;
      const maxCrops = Math.max(1, ...rows.map((r) => r.crops.length));
      const width = TEXT_W + INK_W + 16 + maxCrops * (CROP + CROP_GAP) + 8;
      const height = 28 + Math.max(1, rows.length) * ROW + (omitted ? 24 : 0);
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const ctx = canvas.getContext('2d')!;
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, width, height);
      ctx.fillStyle = '#000';
      ctx.font = 'bold 14px sans-serif';
      ctx.fillText(
        rows.length ? `${rows.length} failures: expected vs read, the ink on the pad, and the 28×28 crops the model saw (2×)` : 'No failures.',
        8,
        18,
      );
      const images = await Promise.all(
        rows.map((r) =>
          Promise.all(
            r.crops.map(async (src) => {
              const img = new Image();
              img.src = src;
              await img.decode();
              return img;
            }),
          ),
        ),
      );
      rows.forEach((r, i) => {
        const y = 28 + i * ROW;
        ctx.fillStyle = i % 2 ? '#f4f6f8' : '#fff';
        ctx.fillRect(0, y, width, ROW);
        ctx.fillStyle = '#000';
        ctx.font = '12px sans-serif';
        ctx.fillText(r.title, 8, y + 18);
        ctx.font = 'bold 13px monospace';
        const detail = r.detail.split('  ');
        detail.forEach((part, k) => ctx.fillText(part, 8, y + 38 + k * 16));
        // The ink, scaled into a box, with the pad's outline.
        const { ink } = r;
        const scale = Math.min(INK_W / ink.width, INK_H / ink.height);
        const ox = TEXT_W;
        const oy = y + (ROW - ink.height * scale) / 2;
        ctx.strokeStyle = '#bbb';
        ctx.lineWidth = 1;
        ctx.strokeRect(ox, oy, ink.width * scale, ink.height * scale);
        ctx.strokeStyle = '#111';
        ctx.lineWidth = 1.5;
        ctx.lineCap = 'round';
        ctx.lineJoin = 'round';
        for (const stroke of ink.strokes) {
          ctx.beginPath();
          stroke.forEach(([x, yy], k) => (k ? ctx.lineTo(ox + x * scale, oy + yy * scale) : ctx.moveTo(ox + x * scale, oy + yy * scale)));
          if (stroke.length === 1) ctx.lineTo(ox + stroke[0][0] * scale + 0.5, oy + stroke[0][1] * scale);
          ctx.stroke();
        }
        // The crops, each with the character read from it.
        const cx0 = TEXT_W + INK_W + 16;
        images[i].forEach((img, k) => {
          const cx = cx0 + k * (CROP + CROP_GAP);
          ctx.imageSmoothingEnabled = false;
          ctx.drawImage(img, cx, y + 8, CROP, CROP);
          ctx.fillStyle = '#c00';
          ctx.font = 'bold 14px monospace';
          ctx.fillText(r.readChars[k] ?? '', cx + CROP / 2 - 4, y + 8 + CROP + 15);
          // "maybe 4 45% or 9 30%" → "~4 45%" / "or 9 30%".
          const caption = (r.captions[k] ?? '').replace(/^maybe /, '~');
          const [first, second] = caption.split(/ (?=or )/);
          ctx.fillStyle = '#555';
          ctx.font = '10px sans-serif';
          ctx.fillText(first ?? '', cx, y + 8 + CROP + 28);
          ctx.fillText(second ?? '', cx, y + 8 + CROP + 39);
        });
        if (r.crops.length === 0) {
          ctx.fillStyle = '#888';
          ctx.font = '12px sans-serif';
          ctx.fillText('(no crops)', cx0, y + 40);
        }
      });
      if (omitted) {
        ctx.fillStyle = '#000';
        ctx.font = '12px sans-serif';
        ctx.fillText(`… and ${omitted} more failures (see the JSON report)`, 8, height - 8);
      }
      return canvas.toDataURL('image/png');
    },
    { rows, omitted: failures.length - shown.length },
  );
  await context.close();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'));
  return shown.length;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const dist = resolve(flags.dist!);
  if (!flags['no-build']) {
    log(`Building the app into ${dist} …`);
    const built = spawnSync('npx', ['vite', 'build', '--outDir', dist, '--emptyOutDir', '--logLevel', 'warn'], { stdio: 'inherit' });
    if (built.status !== 0) throw new Error('vite build failed');
  }

  const all = SOURCE === 'unipen' ? loadUnipen(UNIPEN_DIGITS_PATH).filter((d) => !d.suspectLabel) : loadPendigits();
  const singles = count('singles');
  const numbers = count('numbers');
  const phoneSingles = count('phone-singles');
  const phoneNumbers = count('phone-numbers');
  // Specs for the larger of desktop and phone; the phone takes the first N of them.
  const specs = makeSpecs(all, Math.max(singles, phoneSingles), Math.max(numbers, phoneNumbers), SEED);
  const conditions = ([
    { name: 'desktop singles', device: 'desktop', input: 'mouse', specs: specs.singles.slice(0, singles) },
    { name: 'desktop numbers', device: 'desktop', input: 'mouse', specs: specs.numbers.slice(0, numbers) },
    { name: 'phone singles', device: 'phone', input: 'touch', specs: specs.singles.slice(0, phoneSingles) },
    { name: 'phone numbers', device: 'phone', input: 'touch', specs: specs.numbers.slice(0, phoneNumbers) },
  ] satisfies Condition[]).filter((c) => c.specs.length > 0);

  const server = await startStaticServer(dist);
  const browser = await chromium.launch({ executablePath: chromiumLaunchOptions.executablePath, args: chromiumLaunchOptions.args });
  const started = Date.now();
  const runs: { condition: Condition; results: SampleResult[]; summary: ConditionSummary }[] = [];
  const pageErrors: string[] = [];
  try {
    log(`Serving ${dist} at ${server.url}; seed ${SEED}; writers: ${WRITERS}${WRITERS === 'all' ? ` (${HELD_OUT_SHARE * 100}% of samples from held-out writers of ${SOURCE})` : ''}`);
    for (const condition of conditions) {
      const { results, pad, pageErrors: errors } = await runCondition(browser, server.url, condition);
      pageErrors.push(...errors);
      runs.push({ condition, results, summary: summarise(condition, pad, results) });
    }

    for (const run of runs) printSummary(run.summary);

    const resultsOf = (name: string) => runs.find((r) => r.condition.name === name)?.results ?? [];
    const phoneVsDesktop = {
      singles: byGroupPaired(resultsOf('desktop singles'), resultsOf('phone singles')),
      numbers: byGroupPaired(resultsOf('desktop numbers'), resultsOf('phone numbers')),
    };
    console.log('\n=== phone (touch) vs desktop (mouse) on the same samples; target: within 0.5 points ===');
    console.log(
      table(
        ['', 'n', 'desktop', 'phone', 'phone − desktop', 'only desktop right', 'only phone right'],
        (['singles', 'numbers'] as const).flatMap((k) =>
          GROUPS.map((g) => {
            const d = phoneVsDesktop[k][g];
            return [
              `${k}, ${g}`,
              String(d.n),
              pct(d.desktop),
              pct(d.phone),
              d.deltaPoints === null ? '—' : `${d.deltaPoints >= 0 ? '+' : ''}${d.deltaPoints.toFixed(1)} pts`,
              String(d.onlyDesktopRight),
              String(d.onlyPhoneRight),
            ];
          }),
        ),
      ),
    );

    const overall = (kind: Spec['kind']) =>
      byGroup(
        runs.filter((r) => r.summary.kind === kind).flatMap((r) => r.results),
        (rs) => rate(rs.filter((r) => r.ok).length, rs.length),
      );
    const totals = { singles: overall('single'), numbers: overall('number') };
    console.log('\n=== targets (all conditions together) ===');
    console.log(
      table(
        ['', 'target', 'all', 'held-out writers', 'training writers'],
        [
          ['single digits exactly right', '≥ 99.0%', ...GROUPS.map((g) => pct(totals.singles[g]))],
          ['numbers exactly right', '≥ 97%', ...GROUPS.map((g) => pct(totals.numbers[g]))],
        ],
      ),
    );
    if (pageErrors.length) console.log(`\n${pageErrors.length} uncaught errors in the page; first: ${pageErrors[0].split('\n')[0]}`);

    const failures = runs.flatMap((r) => r.results.filter((x) => !x.ok));
    const sheetMax = count('sheet-max');
    const shown = await writeContactSheet(browser, failures, resolve(flags.sheet!), sheetMax);
    console.log(`\n${failures.length} failures; contact sheet (${shown} shown): ${flags.sheet}`);

    const report = {
      generatedAt: new Date().toISOString(),
      config: {
        seed: SEED,
        writers: WRITERS,
        heldOutShare: WRITERS === 'all' ? HELD_OUT_SHARE : undefined,
        source: SOURCE,
        heldOutWriters: SOURCE === 'pendigits' ? [...HELD_OUT_WRITERS] : 'a fifth of the UNIPEN writers by name hash, and every writer of source "ibm" (scripts/lib/unipen.ts)',
        sizes: Object.fromEntries(conditions.map((c) => [c.name, c.specs.length])),
        replay: REPLAY,
        singleHeightRange: HEIGHT_RANGE,
        numberHeightRange: NUMBER_HEIGHT_RANGE,
        dist,
        wallSeconds: Math.round((Date.now() - started) / 1000),
      },
      targets: { singles: 0.99, numbers: 0.97, phoneWithinPoints: 0.5 },
      totals,
      phoneVsDesktop,
      conditions: runs.map((r) => r.summary),
      pageErrors,
      // Failures keep their ink (pad px) so they can be replayed; crops live in the PNG.
      samples: runs.flatMap((r) => r.results.map(({ crops: _crops, ...rest }) => rest)),
    };
    mkdirSync(dirname(resolve(flags.report!)), { recursive: true });
    writeFileSync(resolve(flags.report!), `${JSON.stringify(report, null, 1)}\n`);
    console.log(`report: ${flags.report}; ${report.config.wallSeconds} s in all`);
  } finally {
    await browser.close();
    await server.close();
  }
}

function byGroupPaired(desktop: SampleResult[], phone: SampleResult[]) {
  return {
    all: pairedDelta(desktop, phone),
    'held-out': pairedDelta(
      desktop.filter((r) => r.group === 'held-out'),
      phone.filter((r) => r.group === 'held-out'),
    ),
    training: pairedDelta(
      desktop.filter((r) => r.group === 'training'),
      phone.filter((r) => r.group === 'training'),
    ),
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
