// Trains the digit model: `npm run train -- --epochs 22 --out public/model`. See --help.
import { parseArgs } from 'node:util';
import { DEFAULT_TRAIN_OPTIONS, trainDigitModel, type TrainOptions } from '../src/training/train-digit-model';
import { loadPendigitsTrainingSet, pipelineSourceHash } from './lib/pendigits-training-set';

/** Renderings of each real pen digit added to training (0: MNIST only). */
const DEFAULT_PENDIGITS_VARIANTS = 3;
/** Strokes of a multi-stroke pen digit moved apart by up to this share of its height (the shipped model's run, README). */
const DEFAULT_STROKE_JITTER = 0.06;

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
  --pendigits N         add N renderings of each ../shared/data digit by the training writers,
                        cut out by the app's pipeline (default ${DEFAULT_PENDIGITS_VARIANTS}; 0 = MNIST only)
  --stroke-jitter F     before each rendering, move each stroke of a digit written in several
                        strokes by up to F × its height (default ${DEFAULT_STROKE_JITTER}; 0 = as written)
`;

/** Parses the command line into training options. */
export function parseTrainArgs(argv: string[]): (Partial<TrainOptions> & { pendigits: number; strokeJitter: number }) | 'help' {
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
  };
  if (values['weight-average'] !== undefined) {
    const decay = Number(values['weight-average']);
    if (!(decay >= 0 && decay < 1)) throw new Error(`--weight-average must be in [0, 1), got ${values['weight-average']}`);
    options.weightAverageDecay = decay;
  }
  const pendigits = values.pendigits === undefined ? DEFAULT_PENDIGITS_VARIANTS : Number(values.pendigits);
  if (!Number.isInteger(pendigits) || pendigits < 0) throw new Error(`--pendigits must be a whole number, got ${values.pendigits}`);
  const strokeJitter = values['stroke-jitter'] === undefined ? DEFAULT_STROKE_JITTER : Number(values['stroke-jitter']);
  if (!(strokeJitter >= 0 && strokeJitter < 0.5)) throw new Error(`--stroke-jitter must be in [0, 0.5), got ${values['stroke-jitter']}`);
  return { ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)), pendigits, strokeJitter };
}

const parsed = parseTrainArgs(process.argv.slice(2));
if (parsed === 'help') {
  console.log(HELP);
} else {
  const { pendigits, strokeJitter, ...options } = parsed;
  const seed = options.seed ?? DEFAULT_TRAIN_OPTIONS.seed;
  const checkpointDir = options.checkpointDir ?? DEFAULT_TRAIN_OPTIONS.checkpointDir;
  const jittered = strokeJitter > 0;
  const cachePath = `${checkpointDir}/pendigits-crops-${pendigits}x${jittered ? `-jitter${strokeJitter}` : ''}-seed${seed}-pipeline-${pipelineSourceHash()}.bin`;
  const extraTraining =
    pendigits > 0 && !options.limit
      ? {
          name: `renderings (${pendigits} each${jittered ? `, strokes moved apart by up to ${strokeJitter} of the height` : ''}) of real pen digits by the training writers (24 of 30; 6 held out) of ../shared/data, cut out by the app pipeline`,
          set: await loadPendigitsTrainingSet(pendigits, seed, cachePath, strokeJitter),
        }
      : undefined;
  await trainDigitModel({ ...options, extraTraining });
}
