import { Workbox } from 'workbox-window';

/** The app's version, from package.json at build time (vite.config.ts). */
declare const __APP_VERSION__: string;

/** A pad left open for days still learns about new versions (browsers check only on navigation). */
const UPDATE_CHECK_INTERVAL_MS = 60 * 60 * 1000;
/** How long the one-time "Ready to work offline" notice stays before it hides itself. */
const OFFLINE_NOTICE_MS = 8_000;
/** localStorage flag: the offline notice was shown once on this origin. */
const OFFLINE_NOTICE_SHOWN_KEY = 'digitpad.offline-ready-shown';

/** The page elements this module owns. */
export interface PwaElements {
  readonly toast: HTMLElement;
  readonly install: HTMLButtonElement;
}

/** Chromium's install event; not in TypeScript's DOM types (https://wicg.github.io/manifest-incubations/). */
interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

/** Installability and offline use: the Install button, the service worker and its notices. */
export function startPwa({ toast, install }: PwaElements): void {
  document.documentElement.dataset.version = __APP_VERSION__;
  offerInstall(install);
  if ('serviceWorker' in navigator && !import.meta.env.DEV) void registerServiceWorker(toast);
}

/** Shows the Install button while the browser offers installation. */
function offerInstall(button: HTMLButtonElement): void {
  let offer: BeforeInstallPromptEvent | undefined;
  window.addEventListener('beforeinstallprompt', (event) => {
    event.preventDefault(); // Our button replaces the browser's own install banner.
    offer = event as BeforeInstallPromptEvent;
    button.hidden = false;
  });
  button.addEventListener('click', () => {
    if (!offer) return;
    // An offer can be prompted once; if the person declines, the browser may offer again later.
    void offer.prompt().catch(() => undefined);
    offer = undefined;
    button.hidden = true;
  });
  window.addEventListener('appinstalled', () => {
    offer = undefined;
    button.hidden = true;
  });
}

/**
 * Registers the service worker in prompt mode: a new version waits until the person presses
 * Reload, so a page never switches versions (and loses its ink) by surprise.
 */
async function registerServiceWorker(toast: HTMLElement): Promise<void> {
  const workbox = new Workbox(new URL('sw.js', document.baseURI).href, { scope: new URL('./', document.baseURI).pathname });
  let registration: ServiceWorkerRegistration | undefined;
  let reloadRequested = false;

  const offerUpdate = () =>
    showToast(toast, 'A new version is ready.', [
      {
        label: 'Reload',
        run() {
          reloadRequested = true;
          // The reload happens on `controlling`, once the new worker serves the page.
          if (registration?.waiting) workbox.messageSkipWaiting();
          else window.location.reload(); // Another tab already activated it.
        },
      },
      { label: 'Dismiss', run: () => hideToast(toast) },
    ]);

  workbox.addEventListener('waiting', offerUpdate);
  workbox.addEventListener('controlling', (event) => {
    if (reloadRequested) window.location.reload();
    // Another tab took the update: this page still runs the old code under the new worker.
    else if (event.isUpdate || event.isExternal) offerUpdate();
  });
  workbox.addEventListener('installed', (event) => {
    if (event.isUpdate || event.isExternal || !markOnce(OFFLINE_NOTICE_SHOWN_KEY)) return;
    showToast(toast, 'Ready to work offline.', [{ label: 'OK', run: () => hideToast(toast) }], OFFLINE_NOTICE_MS);
  });

  try {
    registration = await workbox.register();
  } catch {
    return; // The app works without it, only not offline.
  }
  const checkForUpdate = () => void workbox.update().catch(() => undefined); // Offline: try next time.
  setInterval(checkForUpdate, UPDATE_CHECK_INTERVAL_MS);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') checkForUpdate();
  });
}

/** Sets a localStorage flag; true only the first time (and when storage is unavailable). */
function markOnce(key: string): boolean {
  try {
    if (localStorage.getItem(key)) return false;
    localStorage.setItem(key, '1');
  } catch {
    // Private modes may refuse storage: showing the notice again is harmless.
  }
  return true;
}

interface ToastAction {
  readonly label: string;
  run(): void;
}

let toastTimer: ReturnType<typeof setTimeout> | undefined;

/** Replaces the toast's content; it stays until an action hides it, or for `hideAfterMs`. */
function showToast(toast: HTMLElement, message: string, actions: readonly ToastAction[], hideAfterMs?: number): void {
  clearTimeout(toastTimer);
  const text = document.createElement('span');
  text.textContent = message;
  const buttons = actions.map(({ label, run }) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = label;
    button.addEventListener('click', run);
    return button;
  });
  toast.replaceChildren(text, ...buttons);
  toast.hidden = false;
  if (hideAfterMs !== undefined) toastTimer = setTimeout(() => hideToast(toast), hideAfterMs);
}

function hideToast(toast: HTMLElement): void {
  clearTimeout(toastTimer);
  toast.hidden = true;
  toast.replaceChildren();
}
