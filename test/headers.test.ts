import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { headersFor, parseHeadersFile } from '../deploy/headers';

const PAGE_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; img-src 'self' data: blob:; " +
  "style-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; " +
  "frame-ancestors 'none'; form-action 'none'";

describe('parseHeadersFile + headersFor', () => {
  const rules = parseHeadersFile(
    ['# comment', '/*', '  X-A: 1', '', '/assets/*', '  Cache-Control: immutable', '/u/:id/x', '  X-B: 2', '  x-b: 3'].join('\n'),
  );

  it('reads paths, headers and comments', () => {
    expect(rules).toEqual([
      { pattern: '/*', headers: [['X-A', '1']] },
      { pattern: '/assets/*', headers: [['Cache-Control', 'immutable']] },
      { pattern: '/u/:id/x', headers: [['X-B', '2'], ['x-b', '3']] },
    ]);
  });

  const cases: [path: string, expected: Record<string, string>][] = [
    ['/', { 'x-a': '1' }],
    ['/assets/a-1.js', { 'x-a': '1', 'cache-control': 'immutable' }],
    ['/assets/deep/b.wasm', { 'x-a': '1', 'cache-control': 'immutable' }],
    ['/assets', { 'x-a': '1' }],
    ['/u/7/x', { 'x-a': '1', 'x-b': '2, 3' }],
    ['/u/7/8/x', { 'x-a': '1' }],
  ];
  for (const [path, expected] of cases) {
    it(`matches ${path}`, () => expect(Object.fromEntries(headersFor(rules, path))).toEqual(expected));
  }

  it('treats "." in a pattern literally', () => {
    const [rule] = parseHeadersFile('/sw.js\n  X: 1');
    expect(headersFor([rule], '/swxjs').size).toBe(0);
  });

  it('refuses one header from two blocks (hosts disagree on what that means)', () => {
    const overlapping = parseHeadersFile('/*\n  X-A: 1\n/a\n  x-a: 2');
    expect(() => headersFor(overlapping, '/a')).toThrow(/x-a from both \/\* and \/a/i);
    expect(headersFor(overlapping, '/b').get('x-a')).toBe('1');
  });

  it('rejects malformed files with the line number', () => {
    expect(() => parseHeadersFile('  X-A: 1')).toThrow(/line 1/);
    expect(() => parseHeadersFile('assets/*\n  X-A: 1')).toThrow(/line 1/);
    expect(() => parseHeadersFile('/a\n  no colon')).toThrow(/line 2/);
  });
});

describe('public/_headers (shipped to the host)', () => {
  const rules = parseHeadersFile(readFileSync(new URL('../public/_headers', import.meta.url), 'utf8'));
  const get = (path: string) => headersFor(rules, path);

  it('gives the page a strict CSP without eval, and never caches it', () => {
    for (const path of ['/', '/index.html']) {
      expect(get(path).get('content-security-policy')).toBe(PAGE_CSP);
      expect(get(path).get('cache-control')).toBe('no-cache');
    }
  });

  it('lets nothing eval: both workers get policies of their own without it (OpenCV.js is made eval-free)', () => {
    for (const worker of ['/assets/recognizer.worker-Ab12_x.js', '/assets/classifier.worker-Ab12_x.js']) {
      const csp = get(worker).get('content-security-policy');
      expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval';");
      expect(csp).toContain("connect-src 'self'");
    }
    for (const path of ['/', '/index.html', '/sw.js', '/assets/index-Ab12.js', '/assets/opencv-Ab12.js', '/assets/recognizer.worker-Ab12_x.js', '/assets/classifier.worker-Ab12_x.js']) {
      expect(get(path).get('content-security-policy') ?? '').not.toContain("'unsafe-eval'");
    }
  });

  it('caches hashed assets for a year and revalidates everything without a hash', () => {
    for (const path of ['/assets/index-Ab12.js', '/assets/opencv-Ab12.js', '/assets/tfjs-backend-wasm-simd-x.wasm']) {
      expect(get(path).get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    for (const path of ['/sw.js', '/workbox-9c191d2f.js', '/manifest.webmanifest', '/model/model.json', '/model/group1-shard1of1.bin']) {
      expect(get(path).get('cache-control')).toBe('no-cache');
    }
  });

  it('sends the common security headers everywhere', () => {
    for (const path of ['/', '/icons/icon-192.png', '/assets/recognizer.worker-x.js']) {
      expect(get(path).get('x-content-type-options')).toBe('nosniff');
    }
  });
});
