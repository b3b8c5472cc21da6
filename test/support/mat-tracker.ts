import type { CV } from '../../src/pipeline/opencv-types';

/** Something OpenCV.js allocated in the wasm heap. */
interface Handle {
  isDeleted(): boolean;
}

/** A cv wrapper that records every Mat and MatVector the code under test gets hold of. */
export interface MatTracker {
  /** Pass this to the code under test instead of cv. */
  cv: CV;
  /** How many recorded handles have not been deleted. */
  live(): number;
  /** Undoes the prototype patches. */
  restore(): void;
}

/**
 * OpenCV.js has no count of live objects, so this wraps `cv`: constructors (`new cv.Mat`), free
 * functions and static methods, and the methods of Mat and MatVector (roi, clone, get, …), and
 * records every Mat or MatVector they hand out.
 */
export function trackMats(cv: CV): MatTracker {
  const handles: Handle[] = [];
  const classes = [cv.Mat, cv.MatVector] as unknown as (new (...args: unknown[]) => Handle)[];
  const record = (value: unknown): unknown => {
    if (classes.some((c) => value instanceof c)) handles.push(value as Handle);
    return value;
  };
  const wrapFunction = (fn: (...args: unknown[]) => unknown, self: unknown) =>
    function (this: unknown, ...args: unknown[]) {
      return record(fn.apply(self ?? this, args));
    };

  const restores: (() => void)[] = [];
  for (const cls of classes) {
    const proto = cls.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor' || name === 'delete' || name === 'isDeleted') continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (!descriptor || typeof descriptor.value !== 'function') continue;
      const original = descriptor.value as (...args: unknown[]) => unknown;
      // Embind's overload dispatchers look themselves up on the prototype for `overloadTable`.
      proto[name] = Object.assign(wrapFunction(original, undefined), original);
      restores.push(() => (proto[name] = original));
    }
  }

  const wrapClass = (cls: object): object =>
    new Proxy(cls, {
      construct: (target, args) => record(new (target as new (...a: unknown[]) => unknown)(...args)) as object,
      get: (target, prop) => {
        const value = Reflect.get(target, prop);
        return typeof value === 'function' && prop !== 'prototype' ? wrapFunction(value, target) : value;
      },
    });
  const wrappedClasses = new Map<PropertyKey, object>([
    ['Mat', wrapClass(cv.Mat)],
    ['MatVector', wrapClass(cv.MatVector)],
  ]);
  const wrapped = new Proxy(cv as object, {
    get: (target, prop) => {
      const cls = wrappedClasses.get(prop);
      if (cls) return cls;
      const value = Reflect.get(target, prop);
      // Other classes (Size, Rect, Scalar, …) are plain values; free functions get wrapped.
      if (typeof value !== 'function' || /^[A-Z]/.test(String(prop))) return value;
      return wrapFunction(value, target);
    },
  }) as CV;

  return {
    cv: wrapped,
    live: () => handles.filter((h) => !h.isDeleted()).length,
    restore: () => restores.forEach((undo) => undo()),
  };
}
