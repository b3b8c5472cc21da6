import { Workbox } from 'workbox-window';

/** Registers the service worker that keeps the app, the model and the wasm files for offline use. */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  const workbox = new Workbox(new URL('sw.js', document.baseURI).href, { scope: new URL('./', document.baseURI).pathname });
  void workbox.register().catch(() => undefined); // The app works without it, only not offline.
}
