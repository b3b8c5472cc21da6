import { existsSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { opencvFiles } from './build/opencv-files.ts';
import { headersFor, parseHeadersFile } from './deploy/headers.ts';

/** OpenCV.js's wasm binary is ~5.6 MB; the precache must take it so the app works offline. */
const LARGEST_PRECACHED_FILE = 20 * 1024 * 1024;

/** Shown as `<html data-version>`; DIGITPAD_VERSION overrides it (the e2e update test builds a "next"). */
const APP_VERSION = process.env.DIGITPAD_VERSION ?? (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

export default defineConfig({
  // Relative asset URLs let the same dist/ be served at the root or under any sub-path.
  base: './',
  define: {
    __APP_VERSION__: JSON.stringify(APP_VERSION),
  },
  build: {
    target: 'es2022',
    sourcemap: false,
  },
  worker: {
    // The recogniser worker is a module worker (it imports OpenCV.js dynamically).
    format: 'es',
    plugins: () => [opencvFiles()],
  },
  plugins: [
    VitePWA({
      registerType: 'prompt',
      injectRegister: false, // src/ui/pwa.ts registers it with workbox-window.
      // Paths in the manifest resolve against the manifest's own URL, so they work under any sub-path.
      includeManifestIcons: false, // Already in globPatterns; listing them twice only duplicates entries.
      manifest: {
        name: 'Digitpad — handwritten number reader',
        short_name: 'Digitpad',
        description: 'Write a digit or a whole number and Digitpad reads it, entirely on your device, also offline.',
        lang: 'en',
        start_url: './',
        scope: './',
        display: 'standalone',
        orientation: 'any',
        theme_color: '#1d3557',
        background_color: '#eef1f4',
        categories: ['utilities', 'education'],
        // Generated from assets/icon.svg by `npm run icons`.
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // Everything the app fetches: shell, worker, OpenCV.js, tfjs wasm, model.json + weights.
        // One precache manifest (with a revision per file) makes them one version: a new service
        // worker fetches all of them before it may take over, and the old one serves the old set.
        // (The plugin adds manifest.webmanifest itself.)
        globPatterns: ['**/*.{js,css,html,wasm,json,bin,svg,png,ico}'],
        maximumFileSizeToCacheInBytes: LARGEST_PRECACHED_FILE,
        cleanupOutdatedCaches: true,
        navigateFallback: 'index.html',
        // On the first install only (no page runs an older version yet), take the open page, so
        // it works offline without a reload. Updates still wait for the person (prompt mode).
        clientsClaim: true,
        skipWaiting: false,
      },
    }),
    staticHostHeaders(),
  ],
});

/** Makes `vite preview` send the headers of the built `_headers` file, as the static host will. */
function staticHostHeaders(): Plugin {
  return {
    name: 'digitpad:static-host-headers',
    configurePreviewServer(server) {
      const file = resolve(server.config.root, server.config.build.outDir, '_headers');
      if (!existsSync(file)) {
        server.config.logger.warn(`${file} is missing: previewing without the host's headers`);
        return;
      }
      const rules = parseHeadersFile(readFileSync(file, 'utf8'));
      const base = server.config.base.startsWith('/') ? server.config.base : '/';
      server.middlewares.use((req, res, next) => {
        let pathname = new URL(req.url ?? '/', 'http://preview').pathname;
        if (pathname.startsWith(base)) pathname = `/${pathname.slice(base.length)}`;
        try {
          sendWith(res, headersFor(rules, pathname));
          next();
        } catch (error) {
          next(error);
        }
      });
    },
  };
}

/** Sets headers now and again at writeHead, so Vite's own (e.g. index.html's Cache-Control) cannot win. */
function sendWith(res: ServerResponse, headers: Map<string, string>): void {
  for (const [name, value] of headers) res.setHeader(name, value);
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    // writeHead(status, [reason], headers) would override setHeader: drop our names from it.
    const last = rest.at(-1);
    if (last && typeof last === 'object' && !Array.isArray(last)) {
      for (const key of Object.keys(last)) if (headers.has(key.toLowerCase())) delete (last as Record<string, unknown>)[key];
    }
    return writeHead(status, ...rest);
  }) as ServerResponse['writeHead'];
}
