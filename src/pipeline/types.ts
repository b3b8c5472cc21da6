/** A single-channel image: one byte per pixel, 0 = background, 255 = full ink. */
export interface InkImage {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
  /** The pen's path that drew the ink, when it was written (not for a picture): which stroke is which. */
  strokes?: StrokeTrace;
}

/** The strokes that drew an image, one after another, in image pixels. */
export interface StrokeTrace {
  /** x, y of every point of every stroke, interleaved. */
  points: Float32Array;
  /** Where each stroke starts, as a point index (a stroke ends where the next begins). */
  starts: Uint32Array;
  /** Pen width in image pixels. */
  penWidth: number;
}

/** A grey image with float intensities in [0, 1], 1 = ink (the model's input format). */
export interface FloatImage {
  width: number;
  height: number;
  data: Float32Array;
}

/** An axis-aligned rectangle in image pixels. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One digit found in the ink: where it is and the 28×28 crop the model reads. */
export interface DigitCrop {
  box: Box;
  /** 28×28 row-major intensities in [0, 1], MNIST-normalised. */
  pixels: Float32Array;
}

/** What segmentation returns for one image. */
export interface Segmentation {
  digits: DigitCrop[];
  /** True when more digits were found than the pipeline reads; the extra ones are dropped. */
  truncated: boolean;
}

/** Which blob each pixel belongs to: row-major, 0 = background, blobs numbered from 1. */
export interface LabelImage {
  width: number;
  height: number;
  labels: Int32Array;
}

/** A connected blob of ink: its label in the label image, bounding box and pixel count. */
export interface InkBlob {
  label: number;
  box: Box;
  area: number;
}

/** Blobs that form one digit: their labels in the label image, the box to read, and ink area. */
export interface DigitGroup {
  labels: number[];
  box: Box;
  area: number;
}

/** A decoded picture: 4 bytes per pixel (red, green, blue, alpha), row-major, as in ImageData. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}
