import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test, Digitpad } from './support/fixtures';
import { inkPixelCount, waitForAppReady } from './support/app';
import { DIGIT_SAMPLE_IDS, placedDigit } from './support/samples';
import { startStaticServer, type StaticServer } from './support/static-server';

// Installing, going offline and updating are the same on a phone; run them once.
test.skip(({ isMobile }) => isMobile, 'PWA flows run on the desktop project only');

/** The build `npm test` makes before Playwright starts, and a second one for the update test. */
const DIST = 'dist';
const DIST_NEXT = 'dist-next';
const NEXT_VERSION = 'next-e2e';
const CURRENT_VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

/** Files in dist/ the browser never needs offline: host config, docs, and the service worker itself. */
const NOT_PRECACHED = [/^_headers$/, /^sw\.js$/, /^workbox-[\w-]+\.js$/, /\.md$/];

function filesIn(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((name) => name.split('\\').join('/'))
    .filter((name) => statSync(join(folder, name)).isFile());
}

/** The precache list the build wrote into sw.js (generateSW: `{url:"…",revision:…}` entries). */
function precacheUrls(folder: string): string[] {
  const sw = readFileSync(join(folder, 'sw.js'), 'utf8');
  return [...sw.matchAll(/\{url:"([^"]+)",revision:(?:"[0-9a-f]+"|null)\}/g)].map((match) => match[1]);
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).toString('hex'), 'PNG signature').toBe('89504e470d0a1a0a');
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

async function fetchPng(request: APIRequestContext, url: string): Promise<{ width: number; height: number }> {
  const response = await request.get(url);
  expect(response.status(), url).toBe(200);
  expect(response.headers()['content-type'], url).toMatch(/^image\/png/);
  return pngSize(await response.body());
}

/** Waits until a service worker controls the page and returns its script URL and scope. */
async function waitForController(page: Page): Promise<{ script: string; scope: string }> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
  return page.evaluate(async () => ({
    script: navigator.serviceWorker.controller!.scriptURL,
    scope: (await navigator.serviceWorker.ready).scope,
  }));
}

test('the precache holds the app shell, OpenCV.js, the wasm binaries and the model', async () => {
  const urls = precacheUrls(DIST);
  expect(urls.length, 'entries found in dist/sw.js').toBeGreaterThan(5);
  expect(new Set(urls).size, 'no duplicate entries').toBe(urls.length);
  // Everything the app can fetch is in one list, so one service worker version serves one app version.
  const expected = filesIn(DIST).filter((name) => !NOT_PRECACHED.some((pattern) => pattern.test(name)));
  expect([...urls].sort()).toEqual(expected.sort());
  for (const pattern of [
    /^index\.html$/,
    /^manifest\.webmanifest$/,
    /^assets\/recognizer\.worker-[\w-]+\.js$/,
    /^assets\/opencv-[\w-]+\.js$/,
    /^assets\/opencv-[\w-]+\.wasm$/,
    /^assets\/tfjs-backend-wasm-[\w-]+\.wasm$/,
    /^assets\/tfjs-backend-wasm-simd-[\w-]+\.wasm$/,
    /^model\/model\.json$/,
    /^model\/[\w-]+\.bin$/,
  ]) {
    expect(urls.some((url) => pattern.test(url)), `precache has ${pattern}`).toBe(true);
  }
  const bytes = urls.reduce((sum, url) => sum + statSync(join(DIST, url)).size, 0);
  test.info().annotations.push({ type: 'precache', description: `${urls.length} files, ${(bytes / 2 ** 20).toFixed(2)} MiB` });
});

test('the manifest and its icons are valid', async ({ request }) => {
  const index = await request.get('/');
  const html = await index.text();
  const link = (rel: string) => html.match(new RegExp(`<link rel="${rel}"[^>]*href="([^"]+)"`))?.[1];
  const manifestHref = link('manifest');
  expect(manifestHref, 'index.html links the manifest').toBeTruthy();
  const manifestUrl = new URL(manifestHref!, index.url());
  const response = await request.get(manifestUrl.href);
  expect(response.status()).toBe(200);
  const manifest = (await response.json()) as Record<string, unknown> & {
    icons: { src: string; sizes: string; type: string; purpose?: string }[];
  };
  expect(manifest).toMatchObject({
    name: expect.stringContaining('Digitpad'),
    short_name: 'Digitpad',
    description: expect.any(String),
    display: 'standalone',
    theme_color: expect.stringMatching(/^#[0-9a-f]{6}$/i),
    background_color: expect.stringMatching(/^#[0-9a-f]{6}$/i),
  });
  // Relative start_url and scope: the app installs at the root or under any sub-path.
  expect(new URL(manifest.start_url as string, manifestUrl).href).toBe(new URL('./', manifestUrl).href);
  expect(new URL(manifest.scope as string, manifestUrl).href).toBe(new URL('./', manifestUrl).href);

  for (const icon of manifest.icons) {
    expect(icon.type).toBe('image/png');
    const [width, height] = icon.sizes.split('x').map(Number);
    expect(await fetchPng(request, new URL(icon.src, manifestUrl).href), icon.src).toEqual({ width, height });
  }
  const purposes = (size: string) => manifest.icons.filter((icon) => icon.sizes === size).map((icon) => icon.purpose ?? 'any');
  expect(purposes('192x192')).toContain('any');
  expect(purposes('512x512')).toContain('any');
  expect(manifest.icons.some((icon) => icon.purpose?.split(' ').includes('maskable'))).toBe(true);

  const appleHref = link('apple-touch-icon');
  expect(await fetchPng(request, new URL(appleHref!, index.url()).href)).toEqual({ width: 180, height: 180 });

  // favicon.ico: an icon directory of PNG images.
  const ico = await (await request.get(new URL(link('icon')!, index.url()).href)).body();
  expect(ico.readUInt16LE(2), 'ICO type').toBe(1);
  const sizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => {
    const entry = 6 + 16 * i;
    const png = ico.subarray(ico.readUInt32LE(entry + 12), ico.readUInt32LE(entry + 12) + ico.readUInt32LE(entry + 8));
    expect(pngSize(png).width).toBe(ico.readUInt8(entry));
    return ico.readUInt8(entry);
  });
  expect(sizes).toEqual(expect.arrayContaining([16, 32]));
});

test('tfjs is loaded only by the classifier, after its entry has asked for the model', () => {
  // Strings of tfjs-core and tfjs-layers that survive minification. tfjs (~900 kB) in the page's
  // bundle would delay the pad; in the classifier's entry, the model's download.
  const tfjsMarks = ['No backend found in registry', 'TensorFlow.js'];
  const assets = filesIn(join(DIST, 'assets')).filter((name) => name.endsWith('.js'));
  const withTfjs = assets.filter((name) => tfjsMarks.some((mark) => readFileSync(join(DIST, 'assets', name), 'utf8').includes(mark)));
  expect(withTfjs.length, 'a chunk with tfjs').toBeGreaterThan(0);
  for (const entry of ['index-', 'classifier.worker-', 'recognizer.worker-']) {
    expect(assets.some((name) => name.startsWith(entry)), `${entry}*.js built`).toBe(true);
    expect(withTfjs.filter((name) => name.startsWith(entry)), `${entry}*.js without tfjs`).toEqual([]);
  }
});

test('the preview server sends the host headers from public/_headers', async ({ request }) => {
  const worker = filesIn(join(DIST, 'assets')).find((name) => name.startsWith('recognizer.worker-'));
  const headers = async (path: string) => (await request.get(path)).headers();
  for (const path of ['/', '/index.html']) {
    expect((await headers(path))['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect((await headers(path))['content-security-policy']).not.toContain("'unsafe-eval'");
    expect((await headers(path))['cache-control']).toBe('no-cache');
  }
  expect((await headers(`/assets/${worker}`))['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval';");
  expect((await headers(`/assets/${worker}`))['content-security-policy']).not.toContain("'unsafe-eval'");
  expect((await headers(`/assets/${worker}`))['cache-control']).toBe('public, max-age=31536000, immutable');
  expect((await headers('/sw.js'))['cache-control']).toBe('no-cache');
  expect((await headers('/model/model.json'))['cache-control']).toBe('no-cache');
});

test('the Install button appears when the browser offers installation', async ({ page }) => {
  await page.goto('/');
  const install = page.getByTestId('install');
  await expect(page.getByTestId('pad')).toBeVisible(); // main.ts has run; the recogniser may still load.
  await expect(install).toBeHidden();
  // Headless Chromium never offers installation: hand the page the event Chromium would send.
  await page.evaluate(() => {
    const offer = new Event('beforeinstallprompt', { cancelable: true }) as Event & { prompt(): Promise<void> };
    offer.prompt = async () => void ((window as { prompted?: number }).prompted = 1);
    window.dispatchEvent(offer);
    (window as { offer?: Event }).offer = offer;
  });
  await expect(install).toBeVisible();
  expect(await page.evaluate(() => (window as { offer?: Event }).offer!.defaultPrevented), 'browser banner replaced').toBe(true);
  await install.click();
  await expect(install).toBeHidden();
  expect(await page.evaluate(() => (window as { prompted?: number }).prompted)).toBe(1);
});

test('after one visit the app loads and reads a number with no network, under the host CSP', async ({ app, page, context }) => {
  const { scope } = await waitForController(page);
  expect(new URL(scope).pathname).toBe('/');
  // Everything is in Cache Storage before the network goes away.
  const cached = await page.evaluate(async () => {
    const names = await caches.keys();
    const urls = await Promise.all(names.map(async (name) => (await (await caches.open(name)).keys()).map((r) => r.url)));
    return urls.flat().map((url) => new URL(url).pathname.slice(1));
  });
  expect(cached.sort()).toEqual(precacheUrls(DIST).sort());

  await context.setOffline(true);
  const started = Date.now();
  await page.reload();
  await waitForAppReady(page);
  const readyMs = Date.now() - started;
  const documentMs = await page.evaluate(() => performance.getEntriesByType('navigation')[0].duration);
  test.info().annotations.push({
    type: 'offline reload',
    description: `page loaded in ${documentMs.toFixed(0)} ms, recogniser ready in ${readyMs} ms`,
  });
  // The network really is gone: a request the precache cannot answer fails. (Chromium 150 reports
  // navigator.onLine as true after a reload under Playwright's offline emulation, so it proves nothing.)
  const uncached = await page.evaluate(async () => {
    try {
      return `answered ${(await fetch(`/not-precached-${Date.now()}`)).status}`;
    } catch (error) {
      return (error as Error).name;
    }
  });
  expect(uncached).toBe('TypeError');

  // The cached page keeps the policy it was served with: no eval on the page...
  const blocked = await page.evaluate(async () => {
    const violations: string[] = [];
    document.addEventListener('securitypolicyviolation', (event) => violations.push(event.violatedDirective));
    // A string timer is eval run by the page itself (code sent by the test harness is exempt from CSP).
    (window as { evalRan?: boolean }).evalRan = false;
    setTimeout('window.evalRan = true', 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { ran: (window as { evalRan?: boolean }).evalRan, violations };
  });
  expect(blocked).toEqual({ ran: false, violations: ['script-src'] });
  // ...and the cached worker script keeps its own, also without eval, under which OpenCV.js reads.
  const workerCsp = await page.evaluate(async () => {
    const entry = performance.getEntriesByType('resource').find((e) => e.name.includes('/assets/recognizer.worker-'));
    return (await fetch(entry!.name)).headers.get('content-security-policy');
  });
  expect(workerCsp).toContain("script-src 'self' 'wasm-unsafe-eval';");
  expect(workerCsp).not.toContain("'unsafe-eval'");
  await app.draw(placedDigit(DIGIT_SAMPLE_IDS[7], await app.padSize()));
  expect(await app.read()).toBe('7');
});

test.describe('updates', () => {
  let server: StaticServer;

  test.beforeAll(async ({}, testInfo) => {
    if (testInfo.project.name !== 'desktop') return;
    testInfo.setTimeout(180_000);
    // A second build that differs only in its version: new index.html, new main chunk, new sw.js.
    execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--outDir', DIST_NEXT, '--emptyOutDir', '--logLevel', 'warn'], {
      env: { ...process.env, DIGITPAD_VERSION: NEXT_VERSION },
      stdio: 'inherit',
    });
    // Under a sub-path, as on GitHub Pages: the same dist/ must work there unchanged.
    server = await startStaticServer(DIST, '/digitpad/');
  });

  test.afterAll(async () => {
    await server?.close();
  });

  test('a new version waits for the person: Dismiss keeps the ink, Reload switches', async ({ page, context, hasTouch }) => {
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const app = new Digitpad(page, hasTouch ? 'touch' : 'mouse');
    const toast = page.getByTestId('toast');
    const version = () => page.evaluate(() => document.documentElement.dataset.version);

    await page.goto(server.url);
    await waitForAppReady(page);
    const first = await waitForController(page);
    expect(first.scope).toBe(server.url);
    expect(first.script).toBe(`${server.url}sw.js`);
    await expect(toast).toHaveText(/Ready to work offline/);
    expect(await version()).toBe(CURRENT_VERSION);

    await app.draw(placedDigit(DIGIT_SAMPLE_IDS[2], await app.padSize()));
    expect(await app.read()).toBe('2');
    const ink = await inkPixelCount(app.pad);
    expect(ink).toBeGreaterThan(0);
    await page.evaluate(() => ((window as { sameDocument?: boolean }).sameDocument = true));

    // Deploy the new build; the app checks for updates when it becomes visible again.
    server.serve(DIST_NEXT);
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await expect(toast).toContainText('A new version is ready', { timeout: 60_000 });
    // The new worker waits; the page keeps running the version it started with.
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting?.state)).toBe('installed');
    expect((await waitForController(page)).script).toBe(first.script);
    expect(await version()).toBe(CURRENT_VERSION);

    await app.press(toast.getByRole('button', { name: 'Dismiss' }));
    await expect(toast).toBeHidden();
    expect(await page.evaluate(() => (window as { sameDocument?: boolean }).sameDocument), 'no reload').toBe(true);
    expect(await inkPixelCount(app.pad)).toBe(ink);
    await expect(app.result).toHaveText('2');
    expect(await version()).toBe(CURRENT_VERSION);

    // A plain reload keeps the old version too (the new one still waits) and asks again.
    await page.reload();
    await waitForAppReady(page);
    expect(await version()).toBe(CURRENT_VERSION);
    await expect(toast).toContainText('A new version is ready');

    const reloaded = page.waitForEvent('load');
    await app.press(toast.getByRole('button', { name: 'Reload' }));
    await reloaded;
    await waitForAppReady(page);
    expect(await version()).toBe(NEXT_VERSION);
    await expect(toast).toBeHidden(); // No second "Ready to work offline".
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null)).toBeNull();

    // The new version is complete in the cache: it loads and reads with no network.
    await context.setOffline(true);
    await page.reload();
    await waitForAppReady(page);
    expect(await version()).toBe(NEXT_VERSION);
    await app.draw(placedDigit(DIGIT_SAMPLE_IDS[5], await app.padSize()));
    expect(await app.read()).toBe('5');
    expect(pageErrors).toEqual([]);
  });
});
