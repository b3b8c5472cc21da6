import type { CDPSession, Page } from '@playwright/test';

/** A CDP reply or event relayed from a worker's own session. */
interface RelayedMessage {
  id?: number;
  method?: string;
  params?: { sessionId?: string; message?: string; targetInfo?: { type: string; url: string } };
  result?: { usedSize?: number; totalSize?: number };
  error?: { message: string };
}

/** The sessions from the page's down to a worker's: one for a worker the page made, two for one a worker made. */
type SessionPath = readonly string[];

/**
 * Measures a dedicated worker's JavaScript heap through the DevTools protocol. Chromium gives
 * workers no `performance.memory`, and `measureUserAgentSpecificMemory` needs cross-origin
 * isolation, which the app does not have; the protocol reaches the worker's own V8 isolate. The
 * page's session auto-attaches to its workers, and each worker's to the workers it starts
 * (non-flat, so Playwright's own sessions are left alone); messages go through
 * Target.sendMessageToTarget, nested once per level.
 */
export class WorkerHeap {
  private readonly sessions = new Map<string, SessionPath>();
  private readonly replies = new Map<number, (message: RelayedMessage) => void>();
  private nextId = 1;

  private constructor(private readonly cdp: CDPSession) {
    cdp.on('Target.attachedToTarget', ({ sessionId, targetInfo }) => this.attached([sessionId], targetInfo));
    cdp.on('Target.detachedFromTarget', ({ sessionId }) => {
      for (const [url, path] of this.sessions) if (path[0] === sessionId) this.sessions.delete(url);
    });
    cdp.on('Target.receivedMessageFromTarget', ({ sessionId, message }) => this.received([sessionId], message));
  }

  private attached(path: SessionPath, targetInfo: { type: string; url: string }): void {
    if (targetInfo.type !== 'worker') return;
    this.sessions.set(targetInfo.url, path);
    // Watch the workers this worker starts, too.
    this.send(path, { id: this.nextId++, method: 'Target.setAutoAttach', params: { autoAttach: true, waitForDebuggerOnStart: false, flatten: false } }).catch(() => undefined);
  }

  private received(path: SessionPath, message: string): void {
    const parsed = JSON.parse(message) as RelayedMessage;
    if (parsed.method === 'Target.attachedToTarget' && parsed.params?.sessionId && parsed.params.targetInfo) {
      this.attached([...path, parsed.params.sessionId], parsed.params.targetInfo);
    } else if (parsed.method === 'Target.receivedMessageFromTarget' && parsed.params?.sessionId && parsed.params.message) {
      this.received([...path, parsed.params.sessionId], parsed.params.message);
    } else if (parsed.id !== undefined) {
      this.replies.get(parsed.id)?.(parsed);
    }
  }

  /** Sends a protocol message to the worker at the end of `path`, wrapped once per level above it. */
  private send(path: SessionPath, message: object): Promise<unknown> {
    if (path.length === 1) return this.cdp.send('Target.sendMessageToTarget', { sessionId: path[0], message: JSON.stringify(message) });
    return this.send(path.slice(0, -1), {
      id: this.nextId++,
      method: 'Target.sendMessageToTarget',
      params: { sessionId: path[path.length - 1], message: JSON.stringify(message) },
    });
  }

  /** Starts watching the page's workers (those running now and those started later). */
  static async attach(page: Page): Promise<WorkerHeap> {
    const heap = new WorkerHeap(await page.context().newCDPSession(page));
    await heap.cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
    return heap;
  }

  /** Bytes of JavaScript heap in use by the worker whose script URL contains `name`, after a full GC. */
  async usedAfterGc(name: string): Promise<number> {
    return (await this.usage(name, { collectGarbage: true })).usedSize;
  }

  /** The JavaScript heap of the worker whose script URL contains `name`: in use and reserved, bytes. */
  async usage(name: string, { collectGarbage = false } = {}): Promise<{ usedSize: number; totalSize: number }> {
    const path = [...this.sessions].find(([url]) => url.includes(name))?.[1];
    if (!path) throw new Error(`no worker matching ${name} (have ${[...this.sessions.keys()].join(', ') || 'none'})`);
    if (collectGarbage) await this.call(path, 'HeapProfiler.collectGarbage');
    const { result } = await this.call(path, 'Runtime.getHeapUsage');
    return { usedSize: result!.usedSize!, totalSize: result!.totalSize! };
  }

  /** Stops watching. */
  async detach(): Promise<void> {
    await this.cdp.detach().catch(() => undefined);
  }

  private call(path: SessionPath, method: string): Promise<RelayedMessage> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.replies.set(id, (message) => {
        this.replies.delete(id);
        if (message.error) reject(new Error(`${method}: ${message.error.message}`));
        else resolve(message);
      });
      this.send(path, { id, method }).catch(reject);
    });
  }
}
