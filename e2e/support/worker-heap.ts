import type { CDPSession, Page } from '@playwright/test';

/** A CDP reply or event relayed from a worker's own session. */
interface RelayedMessage {
  id?: number;
  result?: { usedSize?: number };
  error?: { message: string };
}

/**
 * Measures a dedicated worker's JavaScript heap through the DevTools protocol. Chromium gives
 * workers no `performance.memory`, and `measureUserAgentSpecificMemory` needs cross-origin
 * isolation, which the app does not have; the protocol reaches the worker's own V8 isolate. The
 * page's session auto-attaches to its workers (non-flat, so Playwright's own sessions are left
 * alone) and messages go through Target.sendMessageToTarget.
 */
export class WorkerHeap {
  private readonly sessions = new Map<string, string>();
  private readonly replies = new Map<number, (message: RelayedMessage) => void>();
  private nextId = 1;

  private constructor(private readonly cdp: CDPSession) {
    cdp.on('Target.attachedToTarget', ({ sessionId, targetInfo }) => {
      if (targetInfo.type === 'worker') this.sessions.set(targetInfo.url, sessionId);
    });
    cdp.on('Target.detachedFromTarget', ({ sessionId }) => {
      for (const [url, id] of this.sessions) if (id === sessionId) this.sessions.delete(url);
    });
    cdp.on('Target.receivedMessageFromTarget', ({ message }) => {
      const parsed = JSON.parse(message) as RelayedMessage;
      if (parsed.id !== undefined) this.replies.get(parsed.id)?.(parsed);
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
    const sessionId = [...this.sessions].find(([url]) => url.includes(name))?.[1];
    if (!sessionId) throw new Error(`no worker matching ${name} (have ${[...this.sessions.keys()].join(', ') || 'none'})`);
    await this.call(sessionId, 'HeapProfiler.collectGarbage');
    const reply = await this.call(sessionId, 'Runtime.getHeapUsage');
    return reply.result!.usedSize!;
  }

  private call(sessionId: string, method: string): Promise<RelayedMessage> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.replies.set(id, (message) => {
        this.replies.delete(id);
        if (message.error) reject(new Error(`${method}: ${message.error.message}`));
        else resolve(message);
      });
      this.cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) }).catch(reject);
    });
  }
}
