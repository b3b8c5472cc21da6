import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadDigitClassifier, rankClasses } from '../../src/inference/classifier';
import { readCrops } from '../../src/inference/read-crops';
import { fetchModelFiles, fetchReplayFile } from '../../src/inference/fetch-model-files';
import { parseReplaySet, REPLAY_FILE } from '../../src/inference/replay-guard';
import { loadMnist } from '../../src/training/load-mnist';
import { loadModelFromFolder } from '../../src/training/model-files';
import { bytesToInput } from '../../src/training/predict-digits';
import { useWasmTrainingBackend } from '../../src/training/use-wasm-training-backend';

const MODEL_DIR = join(process.cwd(), 'public/model');
const SITE = 'https://digitpad.test/sub/';

/** Serves public/model under SITE/model/ (and 404 for everything else, or for `missing`). */
function serveModel(missing?: string): string[] {
  const requested: string[] = [];
  vi.stubGlobal('fetch', async (url: string) => {
    requested.push(url);
    const prefix = `${SITE}model/`;
    const name = url.startsWith(prefix) ? url.slice(prefix.length) : undefined;
    if (!name || name === missing) return new Response('not found', { status: 404 });
    try {
      return new Response(readFileSync(join(MODEL_DIR, name)));
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
  return requested;
}

describe('fetchModelFiles', () => {
  beforeAll(async () => {
    await useWasmTrainingBackend();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('downloads model.json and its weights, relative to it, into a model that reads as the files do', async () => {
    const requested = serveModel();
    const artifacts = await fetchModelFiles(`${SITE}model/model.json`);
    expect(requested).toEqual([`${SITE}model/model.json`, `${SITE}model/group1-shard1of1.bin`]);
    expect(artifacts.weightData).toBeInstanceOf(ArrayBuffer);
    expect((artifacts.weightData as ArrayBuffer).byteLength).toBe(readFileSync(join(MODEL_DIR, 'group1-shard1of1.bin')).byteLength);

    const fromFetch = await loadDigitClassifier({ load: async () => artifacts });
    const fromFolder = await loadModelFromFolder(MODEL_DIR);
    const test = await loadMnist('test', 20);
    const input = bytesToInput(test.images);
    const crops = Array.from({ length: test.count }, (_, i) => input.subarray(i * 784, (i + 1) * 784));
    // Read the same way (second looks included) from the files on disk.
    const { probabilities, classes } = readCrops(fromFolder, input, test.count);
    const expected = crops.map((_, i) => rankClasses(probabilities.subarray(i * classes, (i + 1) * classes)));
    expect(fromFetch.predict(crops)).toEqual(expected);
    fromFetch.dispose();
    fromFolder.dispose();
  });

  it('fails with the URL and status when a file is missing', async () => {
    serveModel('group1-shard1of1.bin');
    await expect(fetchModelFiles(`${SITE}model/model.json`)).rejects.toThrow(`${SITE}model/group1-shard1of1.bin: HTTP 404`);
    serveModel('model.json');
    await expect(fetchModelFiles(`${SITE}model/model.json`)).rejects.toThrow('model.json: HTTP 404');
  });

  it('downloads the replay file beside the model; none (404) is undefined, another failure throws', async () => {
    serveModel();
    const bytes = await fetchReplayFile(`${SITE}model/model.json`, REPLAY_FILE);
    expect(parseReplaySet(bytes!).labels.length).toBe(300);
    vi.unstubAllGlobals();
    serveModel(REPLAY_FILE);
    expect(await fetchReplayFile(`${SITE}model/model.json`, REPLAY_FILE)).toBeUndefined();
    vi.stubGlobal('fetch', async () => new Response('busy', { status: 503 }));
    await expect(fetchReplayFile(`${SITE}model/model.json`, REPLAY_FILE)).rejects.toThrow(/replay.bin: HTTP 503/);
  });
});
