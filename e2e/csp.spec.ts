import { Digitpad, expect, test } from './support/fixtures';
import { waitForAppReady } from './support/app';
import { statusOf } from './support/hooks';
import { useNormally } from './support/normal-use';
import { startStaticServer, type StaticServer } from './support/static-server';

// The policy is the same on a phone; one project is enough.
test.skip(({ isMobile }) => isMobile, 'runs on the desktop project only');

/** The production build, as `npm test` makes it before Playwright starts. */
const DIST = process.env.DIGITPAD_E2E_DIST ?? 'dist';

let server: StaticServer;

test.beforeAll(async () => {
  // A plain static host with the build's own _headers: the page, worker and service worker each
  // get the policy a real deployment sends, plus report-uri so that every violation reaches us.
  server = await startStaticServer(DIST, '/', { reportCsp: true });
});

test.afterAll(async () => {
  await server?.close();
});

test('under the production CSP, normal use causes no violation and no page error', async ({ page, hasTouch }) => {
  test.setTimeout(240_000); // Two sessions of writing and reading, and a service worker install.
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.stack ?? String(error)));
  const violations: string[] = [];
  await page.exposeFunction('reportViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { reportViolation(text: string): void }).reportViolation(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });

  const response = await page.goto(server.url);
  const csp = response!.headers()['content-security-policy'];
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval';");
  expect(csp).not.toContain("'unsafe-eval'");
  await waitForAppReady(page);
  await expect(statusOf(page), 'the recogniser loaded').not.toHaveClass(/error/);
  // The service worker (its own, stricter policy) installs and takes the page.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });

  await useNormally(new Digitpad(page, hasTouch ? 'touch' : 'mouse'), page);
  // Reload: now served by the service worker, which keeps the headers the files came with.
  await page.reload();
  await waitForAppReady(page);
  await useNormally(new Digitpad(page, hasTouch ? 'touch' : 'mouse'), page);

  await page.waitForTimeout(500); // Reports are sent after the event.
  expect(violations, 'violations seen by the page').toEqual([]);
  expect(server.cspReports, 'violation reports from the page, its worker and the service worker').toEqual([]);
  expect(pageErrors).toEqual([]);

  // The reports are not silent by accident: a violation in the page and one in the worker arrive.
  await page.evaluate(() => setTimeout('void 0', 0)); // eval, refused by the page's policy
  const worker = page.workers().find((w) => w.url().includes('recognizer.worker'));
  await worker!.evaluate(() => fetch('https://example.com/').catch(() => undefined)); // connect-src 'self'
  await expect.poll(() => server.cspReports.length).toBe(2);
  const directives = server.cspReports.map((report) => (report as { 'csp-report': { 'violated-directive': string } })['csp-report']['violated-directive']);
  expect(directives.sort()).toEqual(['connect-src', 'script-src']);
});
