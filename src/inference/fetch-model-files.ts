import type { io } from '@tensorflow/tfjs-core';

/**
 * Downloads a layers model (model.json, then its weight files, relative to it) as the artifacts
 * `tf.loadLayersModel({ load })` takes. tfjs's own `io.http` does the same, but lives in the tfjs
 * bundle; this needs nothing from it, so the download can start before tfjs has even loaded.
 */
export async function fetchModelFiles(modelUrl: string): Promise<io.ModelArtifacts> {
  const json = (await (await fetchOk(modelUrl)).json()) as io.ModelJSON;
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) throw new Error(`${modelUrl} is not a layers model`);
  const paths = json.weightsManifest.flatMap((group) => group.paths);
  const parts = await Promise.all(paths.map(async (path) => (await fetchOk(new URL(path, modelUrl).href)).arrayBuffer()));
  const weightData = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    weightData.set(new Uint8Array(part), offset);
    offset += part.byteLength;
  }
  return {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
    weightData: weightData.buffer,
  };
}

/**
 * The replay file beside the model (`replayFile` relative to `modelUrl`), or undefined where the
 * model ships none (an older model): corrections are then learned unchecked.
 */
export async function fetchReplayFile(modelUrl: string, replayFile: string): Promise<Uint8Array | undefined> {
  const response = await fetch(new URL(replayFile, modelUrl).href);
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`${replayFile}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response;
}
