import { devices } from '@playwright/test';
import { existsSync } from 'node:fs';

/**
 * How every test, benchmark and evaluation here launches Chromium. Playwright's own browser
 * download does not work on our machines, so Debian's Chromium is used (`PLAYWRIGHT_CHROMIUM`
 * overrides the path; without either, Playwright's bundled browser). The flags keep it from
 * reaching for Google's services, which this closed network refuses.
 */
export const chromiumLaunchOptions = {
  executablePath:
    process.env.PLAYWRIGHT_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

/** The phone every e2e test and evaluation writes on: an iPhone 12–15-sized screen running Chrome for Android. */
export const PHONE = {
  viewport: { width: 390, height: 844 },
  screen: { width: 390, height: 844 },
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
  userAgent: devices['Pixel 7'].userAgent,
};
