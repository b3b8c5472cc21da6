import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/** OpenCV.js is one ~13 MB file; the precache must take it so the app works offline. */
const LARGEST_PRECACHED_FILE = 20 * 1024 * 1024;

export default defineConfig({
  // Relative asset URLs let the same dist/ be served at the root or under any sub-path.
  base: './',
  build: {
    target: 'es2022',
    sourcemap: false,
  },
  worker: {
    // The recogniser worker is a module worker (it imports OpenCV.js dynamically).
    format: 'es',
  },
  plugins: [
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      manifest: false,
      workbox: {
        globPatterns: ['**/*.{js,css,html,wasm,json,bin,svg,png,ico,webmanifest}'],
        maximumFileSizeToCacheInBytes: LARGEST_PRECACHED_FILE,
        cleanupOutdatedCaches: true,
        navigateFallback: 'index.html',
      },
    }),
  ],
});
