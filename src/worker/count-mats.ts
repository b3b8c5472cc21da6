import type { CV } from '../pipeline/opencv-types';

/** How many OpenCV objects the code given `cv` has made, and how many of them are not deleted. */
export interface MatCounts {
  /** Mats and MatVectors handed out since counting began. */
  created: number;
  /** Those not yet `delete()`d: each one holds wasm memory until it is. */
  live: number;
}

/** An OpenCV module that counts the Mats and MatVectors it hands out. */
export interface CountedOpenCv {
  /** Give this to the pipeline instead of the raw module. */
  cv: CV;
  counts(): MatCounts;
}

type Method = (...args: unknown[]) => unknown;

/**
 * Wraps OpenCV.js so the worker can say how many Mats are alive. OpenCV.js keeps no count, and
 * embind hands out objects from many places (`new cv.Mat`, `mat.roi()`, `vector.get()`, static
 * and free functions), so every one of those is wrapped: what it returns, if a Mat or MatVector,
 * goes into a set, and `delete()` takes it out. The set holds only live objects, so it stays
 * small; a leak shows as a set that grows. The cost is a wrapper call and an `instanceof` per
 * OpenCV call, negligible beside the image work behind each one.
 *
 * The Mat and MatVector prototypes are patched in place: do this once, for the one OpenCV module
 * of this worker. Objects made through the raw module are not counted, and deleting one is fine.
 */
export function countMats(cv: CV): CountedOpenCv {
  const live = new Set<object>();
  let created = 0;
  const classes = [cv.Mat, cv.MatVector] as unknown as (abstract new (...args: never[]) => object)[];
  const record = (value: unknown): unknown => {
    if (typeof value === 'object' && value !== null && classes.some((c) => value instanceof c) && !live.has(value)) {
      live.add(value);
      created++;
    }
    return value;
  };
  const wrap = (fn: Method, self: unknown): Method =>
    // Embind's overload dispatchers find their `overloadTable` on the function they are called
    // through, so the wrapper carries the original's own properties.
    Object.assign(function (this: unknown, ...args: unknown[]) {
      return record(fn.apply(self ?? this, args));
    }, fn);

  for (const cls of classes) {
    const proto = cls.prototype as unknown as Record<string, unknown>;
    // Inherited methods too (embind's handle `clone` lives on the shared base), each wrapped by
    // an own property of this class's prototype, so the base that all embind classes share is left alone.
    for (let from: object | null = proto; from && from !== Object.prototype; from = Object.getPrototypeOf(from) as object | null) {
      for (const name of Object.getOwnPropertyNames(from)) {
        if (name === 'constructor' || name === 'delete' || name === 'isDeleted' || (from !== proto && Object.hasOwn(proto, name))) continue;
        const descriptor = Object.getOwnPropertyDescriptor(from, name);
        if (typeof descriptor?.value === 'function') proto[name] = wrap(descriptor.value as Method, undefined);
      }
    }
    const remove = proto.delete as Method;
    proto.delete = function (this: object) {
      live.delete(this);
      return remove.call(this);
    };
  }

  const countedClass = (cls: object): object =>
    new Proxy(cls, {
      construct: (target, args) => record(Reflect.construct(target as new (...a: unknown[]) => object, args)) as object,
      get: (target, prop) => {
        const value: unknown = Reflect.get(target, prop);
        return typeof value === 'function' && prop !== 'prototype' ? wrap(value as Method, target) : value;
      },
    });
  const wrappedClasses = new Map<PropertyKey, object>([
    ['Mat', countedClass(cv.Mat)],
    ['MatVector', countedClass(cv.MatVector)],
  ]);
  const functions = new Map<PropertyKey, Method>();
  const counted = new Proxy(cv as object, {
    get: (target, prop) => {
      const cls = wrappedClasses.get(prop);
      if (cls) return cls;
      const value: unknown = Reflect.get(target, prop);
      // Other classes (Size, Rect, Scalar, …) hold no wasm memory the pipeline must free.
      if (typeof value !== 'function' || /^[A-Z]/.test(String(prop))) return value;
      let wrapped = functions.get(prop);
      if (!wrapped) functions.set(prop, (wrapped = wrap(value as Method, target)));
      return wrapped;
    },
  }) as CV;

  return { cv: counted, counts: () => ({ created, live: live.size }) };
}
