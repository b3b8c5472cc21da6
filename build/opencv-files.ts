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

/**
 * Eval-free stand-ins for the Emscripten embind helpers that build JavaScript from strings
 * (`new Function`) while OpenCV.js starts and when the app calls it: the same logic as the
 * generated code, as closures. Names and parameters are those of the Emscripten version these
 * builds use (OpenCV.js 4.5, embind of 2020). One more, emval's method caller, is left as it is:
 * it serves C++ code calling JavaScript methods, which no call of the app's reaches (the tests run
 * the pipeline where eval throws).
 */
const EVAL_FREE_HELPERS = [
  {
    // The function that calls a bound C++ function or method: wires the arguments, calls, unwires.
    name: 'craftInvokerFunction',
    head: 'function craftInvokerFunction(humanName,argTypes,classType,cppInvokerFunc,cppTargetFunc){',
    body: `var argCount=argTypes.length;if(argCount<2){throwBindingError("argTypes array size mismatch! Must at least get return value and 'this' types!")}
var isClassMethodFunc=argTypes[1]!==null&&classType!==null;var needsDestructorStack=false;
for(var i=1;i<argCount;++i){if(argTypes[i]!==null&&argTypes[i].destructorFunction===undefined){needsDestructorStack=true;break}}
var returns=argTypes[0].name!=="void";var expected=argCount-2;var firstArg=isClassMethodFunc?2:1;
var invoker=function(){
if(arguments.length!==expected){throwBindingError("function "+humanName+" called with "+arguments.length+" arguments, expected "+expected+" args!")}
var destructors=needsDestructorStack?[]:null;var wired=[cppTargetFunc];
if(isClassMethodFunc){wired.push(argTypes[1].toWireType(destructors,this))}
for(var i=0;i<expected;++i){wired.push(argTypes[i+2].toWireType(destructors,arguments[i]))}
var rv=cppInvokerFunc.apply(null,wired);
if(needsDestructorStack){runDestructors(destructors)}else{for(var i=isClassMethodFunc?1:2;i<argCount;++i){if(argTypes[i].destructorFunction!==null){argTypes[i].destructorFunction(i===1?wired[1]:wired[i-2+firstArg])}}}
if(returns){return argTypes[0].fromWireType(rv)}};
Object.defineProperty(invoker,"name",{value:makeLegalFunctionName(humanName)});return invoker}`,
  },
  {
    // A caller of a C++ function pointer through its signature's dynCall (inside embind__requireFunction).
    name: 'makeDynCaller',
    head: 'function makeDynCaller(dynCall){',
    body: `var arity=signature.length-1;return function(){var args=[rawFunction];for(var i=0;i<arity;++i){args.push(arguments[i])}return dynCall.apply(null,args)}}`,
  },
  {
    // A function with a given name that forwards to `body` (class constructors, error types).
    name: 'createNamedFunction',
    head: 'function createNamedFunction(name,body){',
    body: `var named=function(){"use strict";return body.apply(this,arguments)};Object.defineProperty(named,"name",{value:makeLegalFunctionName(name)});return named}`,
  },
] as const;

/**
 * Makes OpenCV.js run without `eval`. Stock builds compile a JavaScript function with
 * `new Function` for each of their ~700 bound functions and each function pointer while the
 * runtime starts (~60 ms of a ~200 ms start in Node), so a worker that loads them needs
 * `'unsafe-eval'` in its Content-Security-Policy. Each helper that does this is replaced by a
 * closure doing the same work; the original is kept under another name, never called.
 */
export function withoutEval(script: string): string {
  let out = script;
  for (const { name, head, body } of EVAL_FREE_HELPERS) {
    const at = out.indexOf(head);
    if (at < 0 || out.includes(head, at + head.length)) {
      throw new Error(`expected exactly one ${name} in opencv.js: is this the Emscripten embind build it was written for?`);
    }
    const replacement = `${head}${body.replace(/\n/g, '')}${head.replace(name, `${name}WithEval`)}`;
    out = out.slice(0, at) + replacement + out.slice(at + head.length);
  }
  return out;
}

/**
 * Vite plugin (for the worker bundle) behind `virtual:opencv-files`: in a build it emits OpenCV.js
 * as two hashed assets, glue (made eval-free) and wasm, and exports their URLs; the dev server gets
 * the stock file.
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
      const { glue, wasm } = splitOpenCv(withoutEval(readFileSync(path, 'utf8')));
      const script = this.emitFile({ type: 'asset', name: 'opencv.js', source: glue });
      const binary = this.emitFile({ type: 'asset', name: OPENCV_WASM_NAME, source: wasm });
      return `export const opencvScriptUrl = import.meta.ROLLUP_FILE_URL_${script};\nexport const opencvWasmUrl = import.meta.ROLLUP_FILE_URL_${binary};\n`;
    },
  };
}
