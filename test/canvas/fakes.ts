/**
 * Small stand-ins for the browser objects the canvas module touches, so its DOM-facing parts run
 * in Node: a 2D context that records calls, an element that counts its listeners, pointer events.
 */
import type { InkContext } from '../../src/canvas/paint';

/** One recorded context call or property write, e.g. ['moveTo', 1, 2] or ['lineWidth=', 8]. */
export type Call = [string, ...unknown[]];

/** A 2D context that records what is drawn; getImageData returns `alpha(x, y)` in every pixel's alpha. */
export class RecordingContext {
  readonly calls: Call[] = [];
  alpha: (x: number, y: number) => number = () => 0;
  private state: Record<string, unknown> = {};

  constructor(readonly canvas: { width: number; height: number }) {
    const record = (name: string) => (...args: unknown[]) => void this.calls.push([name, ...args]);
    for (const name of ['save', 'restore', 'setTransform', 'clearRect', 'beginPath', 'moveTo', 'lineTo', 'quadraticCurveTo', 'arc', 'fill', 'stroke']) {
      (this as unknown as Record<string, unknown>)[name] = record(name);
    }
    for (const name of ['lineWidth', 'lineCap', 'lineJoin', 'strokeStyle', 'fillStyle']) {
      Object.defineProperty(this, name, {
        get: () => this.state[name],
        set: (value: unknown) => {
          this.state[name] = value;
          this.calls.push([`${name}=`, value]);
        },
      });
    }
  }

  getImageData(x0: number, y0: number, width: number, height: number): { width: number; height: number; data: Uint8ClampedArray } {
    this.calls.push(['getImageData', x0, y0, width, height]);
    const data = new Uint8ClampedArray(width * height * 4);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        data[i] = 1; // colour channels must be ignored
        data[i + 3] = this.alpha(x0 + x, y0 + y);
      }
    }
    return { width, height, data };
  }

  /** This context typed as the module expects it. */
  get ink(): InkContext {
    return this as unknown as InkContext;
  }

  /** The recorded calls whose names are in `names`. */
  only(...names: string[]): Call[] {
    return this.calls.filter(([name]) => names.includes(name));
  }

  reset(): void {
    this.calls.length = 0;
  }
}

/** An EventTarget that counts its listeners and fakes pointer capture. */
export class FakeElement extends EventTarget {
  readonly listeners = new Map<string, Set<unknown>>();
  readonly captured = new Set<number>();
  /** Makes setPointerCapture throw, as browsers do for a pointer that is not active. */
  captureThrows = false;

  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: AddEventListenerOptions | boolean): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
    super.addEventListener(type, listener, options);
  }

  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: EventListenerOptions | boolean): void {
    this.listeners.get(type)?.delete(listener);
    super.removeEventListener(type, listener, options);
  }

  /** Event types with at least one listener, sorted. */
  listening(): string[] {
    return [...this.listeners].filter(([, set]) => set.size > 0).map(([type]) => type).sort();
  }

  setPointerCapture(id: number): void {
    if (this.captureThrows) throw new Error('NotFoundError');
    this.captured.add(id);
  }

  releasePointerCapture(id: number): void {
    this.captured.delete(id);
  }

  hasPointerCapture(id: number): boolean {
    return this.captured.has(id);
  }
}

/** What a fake pointer event carries. */
export interface PointerInit {
  pointerId?: number;
  button?: number;
  clientX?: number;
  clientY?: number;
  timeStamp?: number;
  /** The coalesced samples; `null` makes getCoalescedEvents missing, as in older Safari. */
  coalesced?: PointerEvent[] | null;
  /** The predicted samples; left out, getPredictedEvents is missing, as in engines without prediction. */
  predicted?: PointerEvent[];
}

/** A cancelable Event dressed as a PointerEvent (Node has no PointerEvent). */
export function pointerEvent(type: string, init: PointerInit = {}): PointerEvent {
  const event = new Event(type, { cancelable: true });
  const props: PropertyDescriptorMap = {
    pointerId: { value: init.pointerId ?? 1 },
    button: { value: init.button ?? 0 },
    clientX: { value: init.clientX ?? 0 },
    clientY: { value: init.clientY ?? 0 },
    timeStamp: { value: init.timeStamp ?? 0 },
  };
  if (init.coalesced !== null) props.getCoalescedEvents = { value: () => init.coalesced ?? [] };
  if (init.predicted) props.getPredictedEvents = { value: () => init.predicted };
  Object.defineProperties(event, props);
  return event as unknown as PointerEvent;
}
