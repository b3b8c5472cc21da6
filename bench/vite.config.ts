import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { opencvFiles } from '../build/opencv-files.ts';

/**
 * The bench-only bundle (`npm run bench` builds it into a temporary copy of dist, never into the
 * app): the naive baseline (tfjs with its default backend on the main thread) and a profiling
 * worker that runs the app's pipeline with each step timed.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  build: {
    target: 'es2022',
    sourcemap: false,
    emptyOutDir: true,
    chunkSizeWarningLimit: 20_000, // OpenCV.js and tfjs: large on purpose, and never shipped.
    rolldownOptions: {
      // naive.html: the baseline as its own page (cold load); inject.js: loaded into the app's page.
      input: { naive: 'naive.html', inject: 'inject.ts' },
      output: { entryFileNames: '[name].js' },
    },
  },
  // Worker bundles get their own plugins: the timing is for the profiling worker's pipeline.
  // OpenCV.js is split into glue + wasm exactly as in the app's build.
  worker: { format: 'es', plugins: () => [timeSegmentSteps(), opencvFiles()] },
});

/**
 * Rewrites src/pipeline/lattice.ts in this bundle only: each value it imports with `import { … }`
 * goes through bench/step-timer.ts `timeStep`, so the profile follows whatever steps buildLattice
 * calls today (no copy of the pipeline to drift). Calls nested inside a step count for that step.
 */
function timeSegmentSteps(): Plugin {
  const target = fileURLToPath(new URL('../src/pipeline/lattice.ts', import.meta.url));
  const timer = fileURLToPath(new URL('./step-timer.ts', import.meta.url));
  return {
    name: 'digitpad-bench:time-segment-steps',
    enforce: 'pre',
    transform(code, id) {
      if (id.split('?')[0] !== target) return undefined;
      const wrapped: string[] = [];
      const rewritten = code.replace(/import\s*\{([^}]*)\}\s*from\s*(['"][^'"]+['"]);?/g, (_, names: string, from: string) => {
        const specifiers = names
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
          .map((spec) => {
            if (spec.startsWith('type ')) return spec;
            const [imported, local = imported] = spec.split(/\s+as\s+/);
            wrapped.push(local);
            return `${imported} as __raw_${local}`;
          });
        return `import { ${specifiers.join(', ')} } from ${from};`;
      });
      if (wrapped.length === 0) this.error('found no imports to time in src/pipeline/lattice.ts');
      const timed = wrapped.map((name) => `const ${name} = __timeStep(${JSON.stringify(name)}, __raw_${name});`);
      // First in the module body (imports are hoisted above it): lattice.ts uses some imports at its
      // top level (a constant defined from another), which must not meet these before they exist.
      return `import { timeStep as __timeStep } from ${JSON.stringify(timer)};\n${timed.join('\n')}\n${rewritten}\n`;
    },
  };
}
