import {
  backend_util,
  Conv2D,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  getKernel,
  PadV2,
  Reshape,
  Reverse,
  Slice,
  Transpose,
  registerKernel,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import type {
  Conv2DBackpropFilterAttrs,
  Conv2DBackpropInputAttrs,
  KernelBackend,
  NamedAttrMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';

const BACKEND = 'wasm';

/** Runs another registered wasm kernel from inside a kernel (the engine is not re-entered). */
function run(name: string, backend: KernelBackend, inputs: Record<string, TensorInfo>, attrs: object): TensorInfo {
  const config = getKernel(name, BACKEND);
  if (!config) throw new Error(`wasm kernel ${name} is not registered`);
  return config.kernelFunc({ inputs, backend, attrs: attrs as NamedAttrMap }) as TensorInfo;
}

/** Releases an intermediate the caller made (reshape shares data, so this only drops a reference). */
function free(backend: KernelBackend, info: TensorInfo): void {
  backend.disposeData(info.dataId);
}

/** Throws for what these kernels do not cover; the model uses NHWC and no dilation. */
function assertNhwc(dataFormat: string): void {
  if (dataFormat !== 'NHWC') throw new Error(`wasm conv gradients support NHWC only, got ${dataFormat}`);
}

/**
 * Inserts (stride − 1) zeros between the rows and columns of dy, so that a strided convolution's
 * input gradient becomes a stride-1 "full" convolution. Returns dy itself (with a new reference)
 * for stride 1.
 */
function dilateRows(backend: KernelBackend, dy: TensorInfo, strideH: number, strideW: number): TensorInfo {
  const [b, oh, ow, f] = dy.shape;
  if (strideH === 1 && strideW === 1) {
    return run(Reshape, backend, { x: dy }, { shape: dy.shape });
  }
  // [b, oh, 1, ow, 1, f] padded to [b, oh, sH, ow, sW, f], then flattened and cropped: each value
  // lands on a multiple of the stride with zeros in between.
  const expanded = run(Reshape, backend, { x: dy }, { shape: [b, oh, 1, ow, 1, f] });
  const padded = run(PadV2, backend, { x: expanded }, {
    paddings: [[0, 0], [0, 0], [0, strideH - 1], [0, 0], [0, strideW - 1], [0, 0]],
    constantValue: 0,
  });
  free(backend, expanded);
  const flat = run(Reshape, backend, { x: padded }, { shape: [b, oh * strideH, ow * strideW, f] });
  free(backend, padded);
  const cropped = run(Slice, backend, { x: flat }, {
    begin: [0, 0, 0, 0],
    size: [b, (oh - 1) * strideH + 1, (ow - 1) * strideW + 1, f],
  });
  free(backend, flat);
  return cropped;
}

/**
 * dx = "full" convolution of the zero-dilated dy with the filter rotated by 180° and its in/out
 * channels swapped. XNNPACK runs it, which is much faster than the direct loop tfjs-wasm ships.
 */
function conv2DBackpropInput(args: {
  inputs: Record<string, TensorInfo>;
  backend: KernelBackend;
  attrs: NamedAttrMap;
}): TensorInfo {
  const { dy, filter } = args.inputs;
  const { backend } = args;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = args.attrs as unknown as Conv2DBackpropInputAttrs;
  assertNhwc(dataFormat);
  const info = backend_util.computeConv2DInfo(
    inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode,
  );
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, inHeight, inWidth } = info;

  const dilated = dilateRows(backend, dy, sh, sw);
  const rotated = run(Reverse, backend, { x: filter }, { dims: [0, 1] });
  const swapped = run(Transpose, backend, { x: rotated }, { perm: [0, 1, 3, 2] });
  free(backend, rotated);

  const dh = dilated.shape[1];
  const dw = dilated.shape[2];
  const top = fh - 1 - info.padInfo.top;
  const left = fw - 1 - info.padInfo.left;
  // Bottom/right make the output exactly the input size; rows a strided conv never read get zeros.
  const bottom = inHeight + fh - 1 - dh - top;
  const right = inWidth + fw - 1 - dw - left;
  if (top < 0 || left < 0 || bottom < 0 || right < 0) {
    throw new Error(`wasm Conv2DBackpropInput: padding larger than the filter is not supported`);
  }
  const dx = run(Conv2D, backend, { x: dilated, filter: swapped }, {
    strides: [1, 1],
    pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
    dataFormat: 'NHWC',
    dilations: [1, 1],
  });
  free(backend, dilated);
  free(backend, swapped);
  return dx;
}

/**
 * dW = convolution of x transposed to [C, H, W, B] (channels become the batch) with dy transposed
 * to [OH, OW, B, F] used as the filter, dilated by the stride; the [C, FH, FW, F] result is
 * transposed back to [FH, FW, C, F].
 */
function conv2DBackpropFilter(args: {
  inputs: Record<string, TensorInfo>;
  backend: KernelBackend;
  attrs: NamedAttrMap;
}): TensorInfo {
  const { x, dy } = args.inputs;
  const { backend } = args;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as Conv2DBackpropFilterAttrs;
  assertNhwc(dataFormat);
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode,
  );
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
  const [b, h, w, c] = x.shape;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  // Input rows past the last window are never read; a negative pad means crop them off first.
  let bottom = fh + (oh - 1) * sh - h - top;
  let right = fw + (ow - 1) * sw - w - left;
  let source = x;
  if (bottom < 0 || right < 0) {
    source = run(Slice, backend, { x }, {
      begin: [0, 0, 0, 0],
      size: [b, h + Math.min(0, bottom), w + Math.min(0, right), c],
    });
    bottom = Math.max(0, bottom);
    right = Math.max(0, right);
  }
  const xT = run(Transpose, backend, { x: source }, { perm: [3, 1, 2, 0] });
  if (source !== x) free(backend, source);
  const dyT = run(Transpose, backend, { x: dy }, { perm: [1, 2, 0, 3] });
  const dwT = run(Conv2D, backend, { x: xT, filter: dyT }, {
    strides: [1, 1],
    pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
    dataFormat: 'NHWC',
    dilations: [sh, sw],
  });
  free(backend, xT);
  free(backend, dyT);
  const dW = run(Transpose, backend, { x: dwT }, { perm: [1, 2, 0, 3] });
  free(backend, dwT);
  return dW;
}

let registered = false;

/**
 * Registers Conv2DBackpropInput and Conv2DBackpropFilter for the wasm backend (tfjs 4.22 has no
 * filter gradient there, so conv nets cannot train on wasm without this). Safe to call twice.
 */
export function registerWasmConvGradients(): void {
  if (registered) return;
  registered = true;
  // tfjs-wasm ships a direct-loop Conv2DBackpropInput; replace it (unregister first to avoid the
  // "already registered" warning) so both gradients go through XNNPACK's convolution.
  if (getKernel(Conv2DBackpropInput, BACKEND)) unregisterKernel(Conv2DBackpropInput, BACKEND);
  if (getKernel(Conv2DBackpropFilter, BACKEND)) unregisterKernel(Conv2DBackpropFilter, BACKEND);
  registerKernel({ kernelName: Conv2DBackpropInput, backendName: BACKEND, kernelFunc: conv2DBackpropInput as never });
  registerKernel({ kernelName: Conv2DBackpropFilter, backendName: BACKEND, kernelFunc: conv2DBackpropFilter as never });
}
