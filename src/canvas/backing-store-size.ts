import type { Size } from './types';

/**
 * The canvas's backing-store size for a content box of `css` CSS pixels at `dpr`. The exact
 * device-pixel box from ResizeObserver wins when there is one and it agrees with css × dpr to a
 * pixel of snapping; otherwise css × dpr, rounded. The check matters: under Chromium's device
 * emulation (DevTools, Playwright's deviceScaleFactor) devicePixelContentBoxSize ignores the
 * emulated ratio and would leave a phone's canvas at 1× (microsoft/playwright#18591).
 */
export function backingStoreSize(css: Size, dpr: number, devicePixels?: Size): Size {
  const ratio = Number.isFinite(dpr) && dpr > 0 ? dpr : 1;
  const width = css.width * ratio;
  const height = css.height * ratio;
  if (devicePixels && Math.abs(devicePixels.width - width) <= 1 && Math.abs(devicePixels.height - height) <= 1) {
    return { width: devicePixels.width, height: devicePixels.height };
  }
  return { width: Math.round(width), height: Math.round(height) };
}
