import { getKernel, MaxPoolGrad, Multiply, registerKernel, ResizeNearestNeighbor, Step, Sub, unregisterKernel } from '@tensorflow/tfjs-core';
import type { KernelBackend, KernelConfig, MaxPoolGradAttrs, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

let original: KernelConfig | undefined;

const run = (name: string, backend: KernelBackend, inputs: Record<string, TensorInfo>, attrs: object = {}) =>
  getKernel(name, 'wasm').kernelFunc({ inputs, backend, attrs: attrs as NamedAttrMap }) as TensorInfo;

/** True for the 2×2, stride-2, unpadded pooling over even sizes that the fast path handles. */
function isPlainHalving(attrs: MaxPoolGradAttrs, input: TensorInfo): boolean {
  const two = (v: number | [number, number]) => (Array.isArray(v) ? v[0] === 2 && v[1] === 2 : v === 2);
  const [, h, w] = input.shape;
  return two(attrs.filterSize) && two(attrs.strides) && (attrs.pad === 'valid' || attrs.pad === 0) && h % 2 === 0 && w % 2 === 0;
}

/**
 * Max-pool gradient for 2×2/stride-2 windows from fast element-wise kernels: upsample the pooled
 * maxima and dy (nearest neighbour), and keep dy where the input equals its window's max, as
 * dy − dy·step(max − x). tfjs-wasm's own kernel is a scalar loop (~5× slower here), and its
 * Equal/Cast and broadcasting kernels are slower still. Ties would share the gradient, but after
 * ReLU the only ties are zeros, whose gradient ReLU drops anyway. Other pool shapes use the
 * original kernel.
 */
function maxPoolGrad(args: { inputs: Record<string, TensorInfo>; backend: KernelBackend; attrs: NamedAttrMap }): TensorInfo {
  const { dy, input, output } = args.inputs;
  const { backend } = args;
  if (!original) throw new Error('MaxPoolGrad override used before registration');
  if (!isPlainHalving(args.attrs as unknown as MaxPoolGradAttrs, input)) return original.kernelFunc(args) as TensorInfo;
  const size = [input.shape[1], input.shape[2]];
  const upsample = { alignCorners: false, halfPixelCenters: false, size };
  const maxima = run(ResizeNearestNeighbor, backend, { images: output }, upsample);
  const grads = run(ResizeNearestNeighbor, backend, { images: dy }, upsample);
  const gap = run(Sub, backend, { a: maxima, b: input });
  const notMax = run(Step, backend, { x: gap }, { alpha: 0 });
  const dropped = run(Multiply, backend, { a: grads, b: notMax });
  const dx = run(Sub, backend, { a: grads, b: dropped });
  for (const t of [maxima, grads, gap, notMax, dropped]) backend.disposeData(t.dataId);
  return dx;
}

/** Replaces the wasm MaxPoolGrad kernel with a vectorised one for 2×2 pooling. */
export function registerWasmMaxPoolGrad(): void {
  if (original) return;
  original = getKernel(MaxPoolGrad, 'wasm');
  if (!original) throw new Error('wasm MaxPoolGrad kernel missing; import @tensorflow/tfjs-backend-wasm first');
  unregisterKernel(MaxPoolGrad, 'wasm');
  registerKernel({ ...original, kernelFunc: maxPoolGrad as never });
}
