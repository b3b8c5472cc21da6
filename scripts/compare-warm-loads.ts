// Compares warm start-up of builds: `npx tsx scripts/compare-warm-loads.ts DIST_A DIST_B [...] [--runs N]`.
//
// Serves each build folder with the production headers, gives each its own on-disk Chromium
// profile, installs its service worker, then loads them in turns (the order flipped every round, so
// a change in the host's load hits all alike) and prints, per build, median/p95 of navigation →
// first recognition possible and of its parts (from the app's `digitpad:recognizer-ready` mark).
// For A/B checks of one change; `npm run bench` is the full measurement.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type BrowserContext } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/support/chromium';
import { startStaticServer, type StaticServer } from '../e2e/support/static-server';
import { MARKS } from '../src/ui/perf-marks';
import type { RecognizerReady } from '../src/worker/contract';
import { stats } from './lib/stats';

const { values, positionals: dists } = parseArgs({ options: { runs: { type: 'string', default: '40' } }, allowPositionals: true });
const runs = Number(values.runs);
if (dists.length === 0 || !Number.isInteger(runs) || runs < 1) throw new Error('usage: compare-warm-loads.ts DIST [DIST ...] [--runs N]');

/** One warm load: when the recogniser was ready, and its own timings. */
interface WarmLoad {
  readyMs: number;
  workerCreatedMs: number;
  loadMs: RecognizerReady['loadMs'];
}

async function warmLoad(context: BrowserContext, url: string): Promise<WarmLoad> {
  const page = await context.newPage();
  await page.goto(url);
  const handle = await page.waitForFunction(
    (mark) => {
      const ready = performance.getEntriesByName(mark, 'mark')[0] as PerformanceMark | undefined;
      if (!ready) return null;
      const detail = ready.detail as RecognizerReady;
      return { readyMs: ready.startTime, workerCreatedMs: detail.createdAt - performance.timeOrigin, loadMs: detail.loadMs };
    },
    MARKS.recognizerReady,
    { polling: 10, timeout: 30_000 },
  );
  const load = (await handle.jsonValue())!;
  await page.close();
  return load;
}

/** "median/p95", as `npm run bench` computes them. */
function summary(values: number[]): string {
  const { median, p95 } = stats(values);
  return `${median?.toFixed(0)}/${p95?.toFixed(0)}`;
}

const builds: { dist: string; server: StaticServer; context: BrowserContext; loads: WarmLoad[] }[] = [];
try {
  for (const dist of dists) {
    const server = await startStaticServer(dist);
    const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'digitpad-warm-')), chromiumLaunchOptions);
    builds.push({ dist, server, context, loads: [] });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => navigator.serviceWorker?.controller != null, undefined, { timeout: 60_000 });
    await page.close();
    // The first loads fill V8's code caches; they are not counted.
    for (let i = 0; i < 3; i++) await warmLoad(context, server.url);
  }
  for (let round = 0; round < runs; round++) {
    for (const build of round % 2 ? [...builds].reverse() : builds) build.loads.push(await warmLoad(build.context, build.server.url));
  }
  console.log(`median/p95 ms over ${runs} warm loads each (worker parts from the worker's creation)`);
  for (const { dist, loads } of builds) {
    console.log(
      `${dist}: navigation → ready ${summary(loads.map((l) => l.readyMs))}; → worker created ${summary(loads.map((l) => l.workerCreatedMs))}; ` +
        `OpenCV glue run ${summary(loads.map((l) => l.loadMs.opencvScript))}, OpenCV ready ${summary(loads.map((l) => l.loadMs.opencv))}, ` +
        `model ready ${summary(loads.map((l) => l.loadMs.model))}`,
    );
  }
} finally {
  for (const { context, server } of builds) {
    await context.close();
    await server.close();
  }
}
