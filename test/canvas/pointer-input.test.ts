import { describe, expect, it } from 'vitest';
import { trackPointer } from '../../src/canvas/pointer-input';
import type { PointerHandlers } from '../../src/canvas/pointer-input';
import { FakeElement, pointerEvent } from './fakes';

/** Handlers that log what they receive; `accept` decides start's answer. */
function recorder(accept = true) {
  const log: string[] = [];
  const handlers: PointerHandlers = {
    start: (e) => (log.push(`start ${e.pointerId}`), accept),
    move: (samples, e) => void log.push(`move ${e.pointerId} [${samples.map((s) => s.clientX).join(',')}]`),
    end: (e) => void log.push(e ? `end ${e.pointerId}` : 'end lost'),
    cancel: (e) => void log.push(`cancel ${e.pointerId}`),
  };
  return { log, handlers };
}

const AT_REST = ['pointerdown', 'touchstart'];
const WHILE_DOWN = ['contextmenu', 'lostpointercapture', 'pointercancel', 'pointerdown', 'pointermove', 'pointerup', 'touchstart'];

describe('trackPointer', () => {
  it('listens for move/up/cancel only while a pointer is down, and captures it', () => {
    const el = new FakeElement();
    const { log, handlers } = recorder();
    trackPointer(el as unknown as Element, handlers);
    expect(el.listening()).toEqual(AT_REST);

    const down = pointerEvent('pointerdown', { pointerId: 7 });
    el.dispatchEvent(down);
    expect(down.defaultPrevented).toBe(true);
    expect(el.captured.has(7)).toBe(true);
    expect(el.listening()).toEqual(WHILE_DOWN);

    el.dispatchEvent(pointerEvent('pointermove', { pointerId: 7, clientX: 5 }));
    el.dispatchEvent(pointerEvent('pointerup', { pointerId: 7 }));
    expect(log).toEqual(['start 7', 'move 7 [5]', 'end 7']);
    expect(el.listening()).toEqual(AT_REST);
    expect(el.captured.size).toBe(0);
  });

  it('ignores a second pointer while one is down, then takes the next one', () => {
    const el = new FakeElement();
    const { log, handlers } = recorder();
    trackPointer(el as unknown as Element, handlers);
    el.dispatchEvent(pointerEvent('pointerdown', { pointerId: 1 }));
    const second = pointerEvent('pointerdown', { pointerId: 2 });
    el.dispatchEvent(second);
    el.dispatchEvent(pointerEvent('pointermove', { pointerId: 2, clientX: 9 }));
    el.dispatchEvent(pointerEvent('pointerup', { pointerId: 2 }));
    el.dispatchEvent(pointerEvent('pointercancel', { pointerId: 2 }));
    el.dispatchEvent(pointerEvent('pointermove', { pointerId: 1, clientX: 3 }));
    el.dispatchEvent(pointerEvent('pointerup', { pointerId: 1 }));
    el.dispatchEvent(pointerEvent('pointerdown', { pointerId: 2 }));
    expect(log).toEqual(['start 1', 'move 1 [3]', 'end 1', 'start 2']);
    expect(second.defaultPrevented).toBe(false);
    expect(el.captured.has(2)).toBe(true);
  });

  it('ignores buttons other than the main one (right click, pen eraser)', () => {
    const el = new FakeElement();
    const { log, handlers } = recorder();
    trackPointer(el as unknown as Element, handlers);
    el.dispatchEvent(pointerEvent('pointerdown', { button: 2 }));
    el.dispatchEvent(pointerEvent('pointerdown', { button: 5 }));
    expect(log).toEqual([]);
    expect(el.listening()).toEqual(AT_REST);
  });

  it('neither captures nor listens when start declines', () => {
    const el = new FakeElement();
    const { log, handlers } = recorder(false);
    trackPointer(el as unknown as Element, handlers);
    const down = pointerEvent('pointerdown');
    el.dispatchEvent(down);
    expect(log).toEqual(['start 1']);
    expect(down.defaultPrevented).toBe(false);
    expect(el.captured.size).toBe(0);
    expect(el.listening()).toEqual(AT_REST);
  });

  it('passes coalesced samples, or the event itself when there are none or the API is missing', () => {
    const el = new FakeElement();
    const { log, handlers } = recorder();
    trackPointer(el as unknown as Element, handlers);
    el.dispatchEvent(pointerEvent('pointerdown'));
    const samples = [1, 2, 3].map((x) => pointerEvent('pointermove', { clientX: x }));
    el.dispatchEvent(pointerEvent('pointermove', { clientX: 3, coalesced: samples }));
    el.dispatchEvent(pointerEvent('pointermove', { clientX: 4, coalesced: [] }));
    el.dispatchEvent(pointerEvent('pointermove', { clientX: 5, coalesced: null }));
    expect(log.slice(1)).toEqual(['move 1 [1,2,3]', 'move 1 [4]', 'move 1 [5]']);
  });

  it('passes the predicted samples, and none where the API is missing', () => {
    const el = new FakeElement();
    const seen: number[][] = [];
    trackPointer(el as unknown as Element, { ...recorder().handlers, move: (_samples, _event, predicted) => void seen.push(predicted.map((e) => e.clientX)) });
    el.dispatchEvent(pointerEvent('pointerdown'));
    const guesses = [6, 7].map((x) => pointerEvent('pointermove', { clientX: x }));
    el.dispatchEvent(pointerEvent('pointermove', { clientX: 5, predicted: guesses }));
    el.dispatchEvent(pointerEvent('pointermove', { clientX: 6, predicted: [] }));
    el.dispatchEvent(pointerEvent('pointermove', { clientX: 7 }));
    expect(seen).toEqual([[6, 7], [], []]);
  });

  it('treats pointercancel as cancel and stops listening', () => {
    const el = new FakeElement();
    const { log, handlers } = recorder();
    trackPointer(el as unknown as Element, handlers);
    el.dispatchEvent(pointerEvent('pointerdown'));
    el.dispatchEvent(pointerEvent('pointercancel'));
    el.dispatchEvent(pointerEvent('pointermove'));
    expect(log).toEqual(['start 1', 'cancel 1']);
    expect(el.listening()).toEqual(AT_REST);
  });

  it('ends the stroke without a position when capture is lost mid-stroke', () => {
    const el = new FakeElement();
    const { log, handlers } = recorder();
    trackPointer(el as unknown as Element, handlers);
    el.dispatchEvent(pointerEvent('pointerdown'));
    el.dispatchEvent(pointerEvent('lostpointercapture'));
    expect(log).toEqual(['start 1', 'end lost']);
    expect(el.listening()).toEqual(AT_REST);
  });

  it('still draws when capture throws (a pointer the browser no longer knows)', () => {
    const el = new FakeElement();
    el.captureThrows = true;
    const { log, handlers } = recorder();
    trackPointer(el as unknown as Element, handlers);
    el.dispatchEvent(pointerEvent('pointerdown'));
    el.dispatchEvent(pointerEvent('pointerup'));
    expect(log).toEqual(['start 1', 'end 1']);
  });

  it('cancels touchstart always and contextmenu only while drawing', () => {
    const el = new FakeElement();
    trackPointer(el as unknown as Element, recorder().handlers);
    const touch = new Event('touchstart', { cancelable: true });
    el.dispatchEvent(touch);
    expect(touch.defaultPrevented).toBe(true);
    const menuAtRest = new Event('contextmenu', { cancelable: true });
    el.dispatchEvent(menuAtRest);
    expect(menuAtRest.defaultPrevented).toBe(false);
    el.dispatchEvent(pointerEvent('pointerdown'));
    const menuWhileDown = new Event('contextmenu', { cancelable: true });
    el.dispatchEvent(menuWhileDown);
    expect(menuWhileDown.defaultPrevented).toBe(true);
  });

  it('stop() removes every listener and releases capture without calling the handlers', () => {
    const el = new FakeElement();
    const { log, handlers } = recorder();
    const stop = trackPointer(el as unknown as Element, handlers);
    el.dispatchEvent(pointerEvent('pointerdown'));
    stop();
    expect(el.listening()).toEqual([]);
    expect(el.captured.size).toBe(0);
    el.dispatchEvent(pointerEvent('pointerup'));
    el.dispatchEvent(pointerEvent('pointerdown'));
    expect(log).toEqual(['start 1']);
  });
});
