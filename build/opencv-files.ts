import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Plugin } from 'vite';

/** The module the worker imports to learn where OpenCV.js and its wasm binary are. */
export const OPENCV_FILES_MODULE = 'virtual:opencv-files';
const RESOLVED_ID = `\0${OPENCV_FILES_MODULE}`;

/** The wasm file name the split script asks Emscripten's `locateFile` for. */
export const OPENCV_WASM_NAME = 'opencv.wasm';

/** The build's wasm binary, embedded in the script as one base64 data URI. */
const EMBEDDED_WASM = /"data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)"/;

/**
 * Splits an OpenCV.js build into its JavaScript glue and its wasm binary. Stock builds embed the
 * binary as base64, which costs a third more to download even gzipped, and must be decoded and
 * compiled in one go after the whole script has arrived; as its own file the browser compiles it
 * while it streams and caches the compiled code for the next start.
 */
export function splitOpenCv(script: string): { glue: string; wasm: Uint8Array<ArrayBuffer> } {
  const found = EMBEDDED_WASM.exec(script);
  if (!found || EMBEDDED_WASM.test(script.slice(found.index + found[0].length))) {
    throw new Error('expected exactly one embedded wasm binary in opencv.js');
  }
  return {
    glue: script.slice(0, found.index) + JSON.stringify(OPENCV_WASM_NAME) + script.slice(found.index + found[0].length),
    wasm: new Uint8Array(Buffer.from(found[1], 'base64')),
  };
}

/** The two Emscripten embind helpers that compile a JavaScript function per binding with `new Function`. */
const BINDING_CODE_MAKERS = [
  { name: 'craftInvokerFunction', head: 'function craftInvokerFunction(' },
  { name: 'makeDynCaller', head: 'function makeDynCaller(dynCall){' },
] as const;

/**
 * Makes OpenCV.js compile each binding's JavaScript the first time it is called instead of at
 * start-up. Stock builds compile an invoker with `new Function` for every one of their ~700 bound
 * functions and a caller for every function pointer while the runtime starts (~60 ms of a ~200 ms
 * start in Node), though the app calls a few dozen. Each maker is renamed and replaced by one that
 * returns a stand-in which makes the real function on its first call and forwards to it.
 */
export function deferBindingCode(script: string): string {
  let out = script;
  for (const { name, head } of BINDING_CODE_MAKERS) {
    const at = out.indexOf(head);
    if (at < 0 || out.includes(head, at + head.length)) {
      throw new Error(`expected exactly one ${name} in opencv.js: is this an Emscripten embind build?`);
    }
    const made = `${name}Now`;
    // `this` matters: invokers of class methods read the object they are called on.
    const deferred =
      `function ${name}(){var made,args=arguments;return function(){made=made||${made}.apply(null,args);return made.apply(this,arguments)}}` +
      head.replace(name, made);
    out = out.slice(0, at) + deferred + out.slice(at + head.length);
  }
  return out;
}

/**
 * Vite plugin (for the worker bundle) behind `virtual:opencv-files`: in a build it emits OpenCV.js
 * as two hashed assets, glue (with its binding code deferred) and wasm, and exports their URLs; the
 * dev server gets the stock file.
 */
export function opencvFiles(): Plugin {
  let serving = false;
  return {
    name: 'digitpad:opencv-files',
    configResolved(config) {
      serving = config.command === 'serve';
    },
    resolveId(id) {
      return id === OPENCV_FILES_MODULE ? RESOLVED_ID : undefined;
    },
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      if (serving) {
        return "export { default as opencvScriptUrl } from '@techstark/opencv-js/dist/opencv.js?url';\nexport const opencvWasmUrl = undefined;\n";
      }
      const path = createRequire(import.meta.url).resolve('@techstark/opencv-js/dist/opencv.js');
      const { glue, wasm } = splitOpenCv(deferBindingCode(readFileSync(path, 'utf8')));
      const script = this.emitFile({ type: 'asset', name: 'opencv.js', source: glue });
      const binary = this.emitFile({ type: 'asset', name: OPENCV_WASM_NAME, source: wasm });
      return `export const opencvScriptUrl = import.meta.ROLLUP_FILE_URL_${script};\nexport const opencvWasmUrl = import.meta.ROLLUP_FILE_URL_${binary};\n`;
    },
  };
}
