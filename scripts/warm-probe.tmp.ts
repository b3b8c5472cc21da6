// Temporary: where the warm load's first 100 ms go (navigation → worker created).
import { chromium } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const url = process.argv[2] ?? 'http://localhost:4173/';
const runs = Number(process.argv[3] ?? 15);
const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'probe-')), {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
});
const first = await ctx.newPage();
await first.goto(url);
await first.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 60000 });
await first.waitForTimeout(3000);
await first.close();
const rows: Record<string, number>[] = [];
for (let i = 0; i < runs; i++) {
  const page = await ctx.newPage();
  await page.goto(url);
  const row = await page.waitForFunction(() => {
    const ready = performance.getEntriesByName('digitpad:recognizer-ready', 'mark')[0] as PerformanceMark | undefined;
    if (!ready) return null;
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const res = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const main = res.find((r) => /assets\/index-.*\.js/.test(r.name));
    const css = res.find((r) => /\.css/.test(r.name));
    const d = ready.detail as { createdAt: number };
    return {
      navWorkerStart: nav.workerStart, navResponseStart: nav.responseStart, navResponseEnd: nav.responseEnd,
      mainFetchStart: main?.fetchStart ?? -1, mainWorkerStart: main?.workerStart ?? -1, mainResponseEnd: main?.responseEnd ?? -1,
      cssResponseEnd: css?.responseEnd ?? -1,
      domInteractive: nav.domInteractive, workerCreated: d.createdAt - performance.timeOrigin, ready: ready.startTime,
    };
  }, null, { polling: 20, timeout: 30000 });
  rows.push((await row.jsonValue())!);
  await page.close();
}
const keys = Object.keys(rows[0]);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const k of keys) console.log(k.padEnd(18), median(rows.map((r) => r[k])).toFixed(1), '  all:', rows.map((r) => r[k].toFixed(0)).join(' '));
await ctx.close();
