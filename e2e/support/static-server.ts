import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { headersFor, parseHeadersFile, type HeaderRule } from '../../deploy/headers';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.svg': 'image/svg+xml',
  '.md': 'text/markdown; charset=utf-8',
};

/** A plain static host for one build folder, which a test can swap for another at the same URL. */
export interface StaticServer {
  /** Where the app lives: origin + mount path, ending in "/". */
  readonly url: string;
  /** CSP violation reports received (only with `reportCsp`), as the browser sent them. */
  readonly cspReports: readonly unknown[];
  /** From now on, serves this folder (e.g. a newer build: a "deploy"). */
  serve(folder: string): void;
  close(): Promise<void>;
}

/** Options of startStaticServer. */
export interface StaticServerOptions {
  /**
   * Adds `report-uri` to every Content-Security-Policy sent and collects the reports in
   * `cspReports`, so a test sees violations in the page, its workers and the service worker. The
   * policy's directives are unchanged: reporting does not loosen or tighten enforcement.
   */
  reportCsp?: boolean;
}

/** Where reports go, below the mount. */
const CSP_REPORT_PATH = '__csp-report';

/**
 * Serves `folder` under `mount` (e.g. "/digitpad/") the way a static host does: files only, no
 * SPA fallback, with the folder's `_headers` applied to the path below the mount (as if every rule
 * carried that prefix).
 */
export async function startStaticServer(folder: string, mount = '/', options: StaticServerOptions = {}): Promise<StaticServer> {
  let root = '';
  let rules: HeaderRule[] = [];
  const serve = (next: string) => {
    root = resolve(next);
    const headersFile = join(root, '_headers');
    rules = existsSync(headersFile) ? parseHeadersFile(readFileSync(headersFile, 'utf8')) : [];
  };
  serve(folder);
  const cspReports: unknown[] = [];

  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://host').pathname);
    if (options.reportCsp && req.method === 'POST' && pathname === `${mount}${CSP_REPORT_PATH}`) {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        cspReports.push(JSON.parse(body || 'null') as unknown);
        res.writeHead(204).end();
      });
      return;
    }
    const below = pathname.startsWith(mount) ? `/${pathname.slice(mount.length)}` : undefined;
    const file = below === undefined ? undefined : resolve(root, `.${below.endsWith('/') ? `${below}index.html` : below}`);
    if (!file || !file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    const headers = Object.fromEntries(headersFor(rules, below!));
    if (options.reportCsp && headers['content-security-policy']) {
      headers['content-security-policy'] += `; report-uri ${mount}${CSP_REPORT_PATH}`;
    }
    res.writeHead(200, { 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', ...headers });
    res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${mount}`,
    cspReports,
    serve,
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections(); // Chromium keeps connections alive.
      }),
  };
}
