// A training helper thread: holds a copy of the model and the training set, and computes the
// gradients of the shards of each batch that the main thread hands it (see gradient-helpers.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { createDigitModel } from '../inference/model';
import { createRandom } from './create-random';
import type { GradientHelperSetup, ShardReply, ShardRequest } from './gradient-helpers';
import { makeBatch } from './make-batch';
import { assignFlatWeights, computeShardGradients, trainableVariables } from './shard-gradients';
import { useWasmTrainingBackend } from './use-wasm-training-backend';

const setup = workerData as GradientHelperSetup;
await useWasmTrainingBackend();
const model = createDigitModel({ seed: setup.modelSeed, dropout: setup.dropout, widths: setup.widths });
const variables = trainableVariables(model);
const port = parentPort!;

port.on('message', (request: ShardRequest) => {
  try {
    assignFlatWeights(variables, request.weights);
    const batch = makeBatch(setup.set, request.indices, (i) => createRandom(request.imageSeeds[i]), {
      labelSmoothing: setup.labelSmoothing,
    });
    const shard = computeShardGradients(model, variables, batch);
    const reply: ShardReply = { ok: true, shard };
    port.postMessage(reply, [shard.gradients.buffer]);
  } catch (error) {
    const reply: ShardReply = { ok: false, message: error instanceof Error ? error.stack ?? error.message : String(error) };
    port.postMessage(reply);
  }
});
port.postMessage({ ok: true, ready: true });
