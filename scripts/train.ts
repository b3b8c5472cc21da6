// Trains the digit model: `npm run train -- --epochs 22 --out public/model`. See --help.
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { DIGIT_CLASSES, DIGIT_MODEL_WIDTHS, type DigitModelWidths } from '../src/inference/model';
import { readCrops } from '../src/inference/read-crops';
import { loadModelFromFolder } from '../src/training/model-files';
import { DEFAULT_TRAIN_OPTIONS, trainDigitModel, type TrainOptions } from '../src/training/train-digit-model';
import { useWasmBackend } from '../src/inference/backend';
import { DEFAULT_REAL_SET_OPTIONS, loadRealHandwritingSet, pipelineSourceHash, PIECE_FILTER_ABOVE, type DigitReader, type RealSetOptions } from './lib/pendigits-training-set';
import { HELD_OUT_WRITERS } from './lib/pendigits-crops';
import { HELD_OUT_CONTRIBUTOR } from './lib/unipen';

const DEFAULT_PENDIGITS_VARIANTS = DEFAULT_REAL_SET_OPTIONS.pendigitsVariants;
const DEFAULT_STROKE_JITTER = DEFAULT_REAL_SET_OPTIONS.strokeJitter;
/** The model whose confident digit readings keep a piece out of "not a digit" (the one shipped before). */
const DEFAULT_PIECE_FILTER = 'public/model';

const HELP = `Usage: npm run train -- [options]

  --epochs N            epochs to train (default ${DEFAULT_TRAIN_OPTIONS.epochs})
  --batch-size N        batch size (default ${DEFAULT_TRAIN_OPTIONS.batchSize})
  --seed N              seed for weights, data order and augmentation (default ${DEFAULT_TRAIN_OPTIONS.seed})
  --learning-rate X     peak learning rate (default ${DEFAULT_TRAIN_OPTIONS.learningRate})
  --weight-average D    ship the exponential moving average of the weights with decay D, e.g. 0.999
                        (default ${DEFAULT_TRAIN_OPTIONS.weightAverageDecay}: ship the last step's weights)
  --snapshots N         run the learning-rate schedule as N back-to-back cycles and ship the average of
                        the N models at the cycles' ends, one model file (default ${DEFAULT_TRAIN_OPTIONS.snapshots}: one model)
  --out DIR             where model.json, weights and model card go (default ${DEFAULT_TRAIN_OPTIONS.outDir})
  --checkpoint-dir DIR  checkpoint folder (default ${DEFAULT_TRAIN_OPTIONS.checkpointDir})
  --resume / --no-resume  continue from a checkpoint if there is one (default: resume)
  --limit N             train on the first N images only
  --test-limit N        evaluate each epoch on the first N test images (final evaluation: all)
  --max-steps N         stop after N steps and save (smoke tests)
  --time-budget MIN     finish within MIN minutes of training: the schedule follows steps or time,
                        whichever is further along (default ${DEFAULT_TRAIN_OPTIONS.timeBudgetMinutes}; "none": steps only)
  --threads N           threads sharing each batch (default ${DEFAULT_TRAIN_OPTIONS.threads}: the wasm backend uses one core
                        per thread); the data and schedule are the same for any N
  --pendigits N         renderings of each pendigits digit by the training writers (data/),
                        cut out by the app's pipeline (default ${DEFAULT_PENDIGITS_VARIANTS}; 0 with --unipen 0 = MNIST only)
  --unipen N            renderings of each UNIPEN digit by the training writers (default ${DEFAULT_REAL_SET_OPTIONS.unipenVariants})
  --stroke-jitter F     before each rendering, move each stroke of a digit written in several
                        strokes by up to F × its height (default ${DEFAULT_STROKE_JITTER}; 0 = as written)
  --letters N           at most N UNIPEN letters and symbols as "not a digit" (default ${DEFAULT_REAL_SET_OPTIONS.maxLetters})
  --tails F             give a share F of digit renderings a ligature's lead-in, and F a lead-out (default ${DEFAULT_REAL_SET_OPTIONS.tailChance})
  --styles F            give a share F of 0s a slash (Ø) or a level bar and of 1s a long flag,
                        styles the training writers lack (default ${DEFAULT_REAL_SET_OPTIONS.styleChance})
  --pieces N            pieces of each digit taught as "not a digit", at most (default ${DEFAULT_REAL_SET_OPTIONS.piecesPerDigit})
  --letter-pieces N     pieces of each letter (as the lattice cuts it) taught as "not a digit", at most
                        (default ${DEFAULT_REAL_SET_OPTIONS.letterPieces})
  --scribbles N         made-up marks as "not a digit" (default ${DEFAULT_REAL_SET_OPTIONS.scribbles})
  --pairs F             two digits written close, as one candidate, F per real digit (default ${DEFAULT_REAL_SET_OPTIONS.pairShare})
  --numbers N           numbers of 2–6 digits written by training writers and cut by the lattice: their
                        digits as digits, wrong cuts as "not a digit" (default ${DEFAULT_REAL_SET_OPTIONS.numbers})
  --joined N            more numbers, every one joined by the pen or touching, on top of --numbers (default ${DEFAULT_REAL_SET_OPTIONS.joinedNumbers})
  --trimmed-crops       teach the digits cut from those numbers again without a join's connector,
                        as the reader also reads them (default ${DEFAULT_REAL_SET_OPTIONS.trimmedCrops ? 'on' : 'off'})
  --init DIR            start from the weights of the model in DIR (fine-tuning) instead of random ones
  --widths C,D          filters of the last convolution and units of the hidden dense layer (default
                        ${DIGIT_MODEL_WIDTHS.conv4},${DIGIT_MODEL_WIDTHS.dense}); with --init, wider than that model: its units are copied
  --piece-filter DIR    pieces of digits this model reads as a digit (≥ ${PIECE_FILTER_ABOVE}) are not taught as
                        "not a digit" (default ${DEFAULT_PIECE_FILTER}; "none": no filter)
`;

/** Parses the command line into training options. */
export function parseTrainArgs(argv: string[]): (Partial<TrainOptions> & { real: RealSetOptions; pieceFilter: string | undefined }) | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      seed: { type: 'string' },
      'learning-rate': { type: 'string' },
      'weight-average': { type: 'string' },
      snapshots: { type: 'string' },
      out: { type: 'string' },
      'checkpoint-dir': { type: 'string' },
      resume: { type: 'boolean' },
      'no-resume': { type: 'boolean' },
      limit: { type: 'string' },
      'test-limit': { type: 'string' },
      'max-steps': { type: 'string' },
      'time-budget': { type: 'string' },
      threads: { type: 'string' },
      pendigits: { type: 'string' },
      'stroke-jitter': { type: 'string' },
      unipen: { type: 'string' },
      letters: { type: 'string' },
      scribbles: { type: 'string' },
      'letter-pieces': { type: 'string' },
      tails: { type: 'string' },
      styles: { type: 'string' },
      pieces: { type: 'string' },
      pairs: { type: 'string' },
      numbers: { type: 'string' },
      joined: { type: 'string' },
      'trimmed-crops': { type: 'boolean' },
      init: { type: 'string' },
      widths: { type: 'string' },
      'piece-filter': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const num = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${v}`);
    return n;
  };
  const options: Partial<TrainOptions> = {
    epochs: num('epochs', values.epochs),
    batchSize: num('batch-size', values['batch-size']),
    seed: num('seed', values.seed),
    learningRate: num('learning-rate', values['learning-rate']),
    snapshots: num('snapshots', values.snapshots),
    outDir: values.out,
    checkpointDir: values['checkpoint-dir'],
    resume: values['no-resume'] ? false : values.resume ?? undefined,
    limit: num('limit', values.limit),
    testLimit: num('test-limit', values['test-limit']),
    maxSteps: num('max-steps', values['max-steps']),
    timeBudgetMinutes: values['time-budget'] === 'none' ? Infinity : num('time-budget', values['time-budget']),
    threads: num('threads', values.threads),
    initFrom: values.init,
    widths: values.widths === undefined ? undefined : parseWidths(values.widths),
  };
  if (values['weight-average'] !== undefined) {
    const decay = Number(values['weight-average']);
    if (!(decay >= 0 && decay < 1)) throw new Error(`--weight-average must be in [0, 1), got ${values['weight-average']}`);
    options.weightAverageDecay = decay;
  }
  const count = (name: string, v: string | undefined, fallback: number) => {
    const n = v === undefined ? fallback : Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got ${v}`);
    return n;
  };
  const share = (name: string, v: string | undefined, fallback: number, below: number) => {
    const x = v === undefined ? fallback : Number(v);
    if (!(x >= 0 && x < below)) throw new Error(`--${name} must be in [0, ${below}), got ${v}`);
    return x;
  };
  const real: RealSetOptions = {
    pendigitsVariants: count('pendigits', values.pendigits, DEFAULT_PENDIGITS_VARIANTS),
    unipenVariants: count('unipen', values.unipen, DEFAULT_REAL_SET_OPTIONS.unipenVariants),
    strokeJitter: share('stroke-jitter', values['stroke-jitter'], DEFAULT_STROKE_JITTER, 0.5),
    maxLetters: count('letters', values.letters, DEFAULT_REAL_SET_OPTIONS.maxLetters),
    letterPieces: count('letter-pieces', values['letter-pieces'], DEFAULT_REAL_SET_OPTIONS.letterPieces),
    scribbles: count('scribbles', values.scribbles, DEFAULT_REAL_SET_OPTIONS.scribbles),
    tailChance: share('tails', values.tails, DEFAULT_REAL_SET_OPTIONS.tailChance, 1),
    styleChance: share('styles', values.styles, DEFAULT_REAL_SET_OPTIONS.styleChance, 1),
    piecesPerDigit: count('pieces', values.pieces, DEFAULT_REAL_SET_OPTIONS.piecesPerDigit),
    pairShare: share('pairs', values.pairs, DEFAULT_REAL_SET_OPTIONS.pairShare, 5),
    numbers: count('numbers', values.numbers, DEFAULT_REAL_SET_OPTIONS.numbers),
    joinedNumbers: count('joined', values.joined, DEFAULT_REAL_SET_OPTIONS.joinedNumbers),
    trimmedCrops: values['trimmed-crops'] ?? DEFAULT_REAL_SET_OPTIONS.trimmedCrops,
    seed: options.seed ?? DEFAULT_TRAIN_OPTIONS.seed,
  };
  const pieceFilter = values['piece-filter'] === 'none' ? undefined : (values['piece-filter'] ?? DEFAULT_PIECE_FILTER);
  return { ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)), real, pieceFilter };
}

/** Parses `--widths C,D`. */
function parseWidths(text: string): DigitModelWidths {
  const [conv4, dense] = text.split(',').map(Number);
  if (!(Number.isInteger(conv4) && conv4 > 0 && Number.isInteger(dense) && dense > 0)) throw new Error(`--widths must be two whole numbers C,D, got ${text}`);
  return { conv4, dense };
}

/** Reads crops with the model in `dir`: per crop, its likeliest digit's probability. */
async function digitReaderFrom(dir: string | undefined): Promise<DigitReader | undefined> {
  if (!dir || !existsSync(`${dir}/model.json`)) return undefined;
  await useWasmBackend();
  const model = await loadModelFromFolder(dir);
  return (crops) => {
    const pixels = new Float32Array(crops.length * 784);
    crops.forEach((crop, i) => pixels.set(crop, i * 784));
    const { probabilities, classes } = readCrops(model, pixels, crops.length);
    return Float32Array.from(crops, (_, i) => Math.max(...probabilities.subarray(i * classes, i * classes + DIGIT_CLASSES)));
  };
}

const parsed = parseTrainArgs(process.argv.slice(2));
if (parsed === 'help') {
  console.log(HELP);
} else {
  const { real, pieceFilter, ...options } = parsed;
  const checkpointDir = options.checkpointDir ?? DEFAULT_TRAIN_OPTIONS.checkpointDir;
  const settings = Object.entries(real).map(([k, v]) => `${k}${v}`).join('-');
  // Hashed: the settings spelled out outgrow a file name's 255 bytes.
  const settingsHash = createHash('sha256').update(`${settings}-filter-${pieceFilter ? 'on' : 'off'}`).digest('hex').slice(0, 12);
  const cachePath = `${checkpointDir}/real-crops-${settingsHash}-pipeline-${pipelineSourceHash()}.bin`;
  const useReal = real.pendigitsVariants + real.unipenVariants > 0 && !options.limit;
  const set = useReal ? await loadRealHandwritingSet(real, cachePath, () => digitReaderFrom(pieceFilter)) : undefined;
  const extraTraining = set && {
    name:
      'crops cut out by the app pipeline from real pen trajectories of training writers only (data/README.md): ' +
      Object.entries(set.kinds).map(([kind, n]) => `${kind} ${n.toLocaleString('en')}`).join(', ') +
      `; held out: pendigits writers ${HELD_OUT_WRITERS.size} of 30, a fifth of the UNIPEN writers and every writer of source "${HELD_OUT_CONTRIBUTOR}"` +
      (real.strokeJitter > 0 ? `; strokes of multi-stroke digits moved apart by up to ${real.strokeJitter} of the height` : '') +
      (real.tailChance > 0 ? `; ${real.tailChance * 100}% of digit renderings given a ligature's lead-in and ${real.tailChance * 100}% a lead-out` : '') +
      (real.styleChance > 0 ? `; ${real.styleChance * 100}% of 0s given a slash and of 1s a long flag` : ''),
    set,
  };
  await trainDigitModel({ ...options, extraTraining });
}
