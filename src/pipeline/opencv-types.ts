/** The OpenCV.js module, passed in by whoever loaded it (the worker, a test, a script). */
export type CV = typeof import('@techstark/opencv-js');
