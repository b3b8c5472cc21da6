import { defineConfig, devices } from '@playwright/test';
import { chromiumLaunchOptions, PHONE } from './e2e/support/chromium';

const isCI = Boolean(process.env.CI);

const launchOptions = chromiumLaunchOptions;

/** Port the built app is served on; E2E_PORT lets the tests run beside an `npm start` on 4173. */
const PORT = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
  testDir: 'e2e',
  // One worker: the machines are small and shared, and each page loads OpenCV.js + a model in a worker.
  workers: 1,
  fullyParallel: false,
  forbidOnly: isCI,
  retries: isCI ? 1 : 0,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: isCI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 20_000,
    navigationTimeout: 60_000,
    launchOptions,
  },
  projects: [
    {
      name: 'desktop',
      use: { ...devices['Desktop Chrome'], launchOptions },
    },
    {
      name: 'phone',
      use: {
        browserName: 'chromium',
        ...PHONE,
        launchOptions,
      },
    },
  ],
  // Tests run against the built app (`npm test` builds first): Vite's dev server re-processes the
  // 13 MB OpenCV.js file on every load.
  webServer: {
    command: `npx vite preview --port ${PORT} --strictPort`,
    url: `http://localhost:${PORT}`,
    reuseExistingServer: !isCI,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
