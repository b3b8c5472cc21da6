import { readFileSync } from 'node:fs';
import type { BrowserContext, Page, Request } from '@playwright/test';
import { encodePng } from '../scripts/lib/png';
import { photo, PHOTOS } from '../test/support/photos';
import { Digitpad, expect, test } from './support/fixtures';
import { useNormally } from './support/normal-use';

// What the app fetches does not depend on the screen; one project is enough.
test.skip(({ isMobile }) => isMobile, 'runs on the desktop project only');

/** How long the network must stay quiet before the app counts as loaded (service worker precache included). */
const QUIET_MS = 2_000;

/** A request, for the report. */
function describe(request: Request): string {
  const from = request.serviceWorker() ? 'service worker' : 'page or worker';
  return `${request.method()} ${request.url()} (${request.resourceType()}, ${from})`;
}

/** Every request of the context from now on; resolves once the app is loaded, controlled by its service worker and the network has gone quiet. */
async function loadAndWatch(page: Page, context: BrowserContext): Promise<Request[]> {
  const requests: Request[] = [];
  // The context sees the page's requests, its workers' and the service worker's.
  context.on('request', (request) => requests.push(request));
  await page.goto('/');
  await expect(page.getByTestId('result')).toHaveAttribute('aria-busy', 'false', { timeout: 90_000 });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
  // Wait out the service worker's precache: the network is quiet once it has everything.
  let seen = -1;
  while (seen !== requests.length) {
    seen = requests.length;
    await page.waitForTimeout(QUIET_MS);
  }
  return requests;
}

test('every request goes to the app’s own origin, and none at all while writing and reading', async ({ page, context, baseURL }) => {
  const requests = await loadAndWatch(page, context);

  const origin = new URL(baseURL!).origin;
  const elsewhere = requests.filter((r) => new URL(r.url()).origin !== origin && !/^(data|blob):/.test(r.url()));
  expect(elsewhere.map(describe), 'requests to other origins').toEqual([]);
  // The list covers what the worker and the service worker fetch, so "none elsewhere" means something.
  const urls = requests.map((r) => new URL(r.url()).pathname);
  for (const needed of [/\/model\/model\.json$/, /\/assets\/opencv-[\w-]+\.js$/, /\.wasm$/, /\/sw\.js$/]) {
    expect(urls.some((url) => needed.test(url)), `saw ${needed}`).toBe(true);
  }
  expect(requests.some((r) => r.serviceWorker() !== null), 'saw the service worker precache').toBe(true);
  test.info().annotations.push({ type: 'requests while loading', description: String(requests.length) });

  const loaded = requests.length;
  await useNormally(new Digitpad(page, 'mouse'), page);
  expect(requests.slice(loaded).map(describe), 'requests while writing and reading').toEqual([]);
});

test('reading a picture sends nothing: no request to any server from choosing it to its result', async ({ page, context }) => {
  const requests = await loadAndWatch(page, context);
  expect(requests.length, 'the load was seen, so the listener works').toBeGreaterThan(0);

  const loaded = requests.length;
  const picture = photo(PHOTOS.twoLines);
  await page.getByTestId('image-input').setInputFiles({ name: 'two-lines.png', mimeType: 'image/png', buffer: encodePng(picture.photo) });
  expect(await new Digitpad(page, 'mouse').read()).toBe(picture.text);
  // A moment more: anything sent after the result (a beacon, a lazy fetch) would show here too.
  await page.waitForTimeout(QUIET_MS);
  // The picture's size is read from an object URL of the chosen file (blob: of the app's own
  // origin, in memory): that is no request to any server, and it is the only one allowed.
  const origin = new URL(page.url()).origin;
  const ownBlob = (request: Request) => request.url().startsWith(`blob:${origin}/`);
  expect(requests.slice(loaded).filter((r) => !ownBlob(r)).map(describe), 'requests while reading a picture').toEqual([]);
});

test('the page names no other host: no CDN, no web fonts, no analytics', async () => {
  const dist = process.env.DIGITPAD_E2E_DIST ?? 'dist';
  const html = readFileSync(`${dist}/index.html`, 'utf8');
  const manifest = readFileSync(`${dist}/manifest.webmanifest`, 'utf8');
  const css = (html.match(/href="([^"]+\.css)"/g) ?? []).map((m) => readFileSync(`${dist}/${m.slice(6, -1).replace(/^\.\//, '')}`, 'utf8'));
  expect(css.length, 'the stylesheet was found').toBeGreaterThan(0);
  for (const [name, text] of [['index.html', html], ['manifest', manifest], ...css.map((c, i) => [`css ${i}`, c])]) {
    // Any absolute or protocol-relative URL would load from elsewhere (fonts, scripts, beacons).
    expect(text.match(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s"')]*/gi) ?? [], name).toEqual([]);
    expect(text, name).not.toMatch(/@import|@font-face/);
  }
});
