import opencvUrl from '@techstark/opencv-js/dist/opencv.js?url';
import type { CV } from '../pipeline/opencv-types';

let opencv: Promise<CV> | undefined;

/**
 * Loads OpenCV.js once per worker. The file is a UMD script that sets `globalThis.cv` to a promise
 * of the module; a dynamic import runs it without bundling its 13 MB into the worker chunk.
 */
export function loadOpenCv(): Promise<CV> {
  opencv ??= (async () => {
    await import(/* @vite-ignore */ opencvUrl);
    const pending = (globalThis as { cv?: unknown }).cv;
    if (!pending) throw new Error('OpenCV.js did not start');
    // The resolved module has no `then`, so awaiting it settles (4.x builds hang here).
    const cv = (await pending) as CV;
    if (typeof cv.Mat !== 'function') throw new Error('OpenCV.js started without its API');
    return cv;
  })();
  return opencv;
}
