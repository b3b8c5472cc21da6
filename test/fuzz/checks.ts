import { beforeAll } from 'vitest';
import type { CV } from '../../src/pipeline/opencv-types';
import { countMats, type CountedOpenCv } from '../../src/worker/count-mats';
import { loadOpenCv } from '../support/opencv';

/** Throws (so fast-check reports and shrinks the case) unless `ok`. */
export function check(ok: boolean, message: string): asserts ok {
  if (!ok) throw new Error(message);
}

/** A Mat-counting OpenCV, loaded before the calling file's tests, and a leak check around a step. */
export interface OpenCvUnderTest {
  /** The counting OpenCV (only once the file's tests run). */
  readonly cv: CV;
  /** Runs `step` and checks that it left no OpenCV Mat alive. */
  noLeak<T>(step: () => T): T;
}

/** Loads a Mat-counting OpenCV in a `beforeAll` of the calling test file. */
export function countingOpenCv(): OpenCvUnderTest {
  let counted: CountedOpenCv | undefined;
  beforeAll(async () => {
    counted = countMats(await loadOpenCv());
  });
  const loaded = (): CountedOpenCv => {
    if (!counted) throw new Error('OpenCV is loaded before the tests run, not while they are collected');
    return counted;
  };
  return {
    get cv() {
      return loaded().cv;
    },
    noLeak(step) {
      const before = loaded().counts().live;
      const result = step();
      check(loaded().counts().live === before, `${loaded().counts().live - before} Mat(s) left alive`);
      return result;
    },
  };
}
