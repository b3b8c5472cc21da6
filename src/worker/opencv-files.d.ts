/** Where the build put OpenCV.js (see build/opencv-files.ts). */
declare module 'virtual:opencv-files' {
  /** The OpenCV.js script (its glue, in a build). */
  export const opencvScriptUrl: string;
  /** Its wasm binary as a file of its own; undefined under the dev server, where it stays embedded. */
  export const opencvWasmUrl: string | undefined;
}
