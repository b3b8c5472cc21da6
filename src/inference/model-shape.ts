import { MNIST_SIZE } from '../pipeline/options';

// Apart from model.ts, which imports tfjs-layers: the page and the workers' entries need these
// numbers without pulling tfjs into their bundles.

/** Side of the square image the model reads (the pipeline's 28×28 MNIST-normalised crop). */
export const MODEL_INPUT_SIZE = MNIST_SIZE;

/** Input tensor shape per digit: height, width, one channel (ink = 1, background = 0). */
export const MODEL_INPUT_SHAPE = [MODEL_INPUT_SIZE, MODEL_INPUT_SIZE, 1] as const;

/** The digits 0–9: the model's first ten outputs, in order, so index = digit. */
export const DIGIT_CLASSES = 10;

/** The output after the digits: the crop is not one digit but a wrong cut (a piece of a digit, two digits as one). */
export const NOT_A_DIGIT = 10;

/**
 * The last output: the crop is a whole mark that is not a digit (a letter, a symbol, a scribble).
 * Apart from {@link NOT_A_DIGIT} so a reading can prefer a whole letter to its pieces read as digits,
 * while two digits read as one stay a wrong cut.
 */
export const A_MARK = 11;

/** Outputs of the model: the ten digits, "a wrong cut" and "a mark". Models of 10 or 11 outputs still load. */
export const MODEL_CLASSES = 12;
