import type { io } from '@tensorflow/tfjs-core';

/**
 * A short string that names a model's exact files: its topology, its weights manifest and every
 * weight byte, plus `recipe` (how anything derived from the model is computed, e.g. a correction's
 * views). Embeddings cached under one fingerprint are only ever reused by a model with the same
 * one, so a new model (or recipe) re-derives them. Not cryptographic: it tells versions of
 * Digitpad's own files apart, nobody is forging them (a page that could would not need to).
 * A plain JS hash rather than crypto.subtle, which a page served over plain HTTP does not have.
 */
export function modelFingerprint(artifacts: io.ModelArtifacts, recipe: unknown = null): string {
  const hash = new Hash53();
  hash.addText(JSON.stringify([artifacts.modelTopology ?? null, artifacts.weightSpecs ?? [], recipe]));
  const parts = artifacts.weightData === undefined ? [] : Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData];
  for (const part of parts) hash.addBytes(new Uint8Array(part));
  return hash.digest();
}

/** cyrb53 (two 32-bit multiply-xor lanes): 53 bits, fast on the model's 400 kB of weights. */
class Hash53 {
  private h1 = 0xdeadbeef;
  private h2 = 0x41c6ce57;
  private length = 0;

  addText(text: string): void {
    this.addBytes(new TextEncoder().encode(text));
  }

  addBytes(bytes: Uint8Array): void {
    let { h1, h2 } = this;
    for (let i = 0; i < bytes.length; i++) {
      h1 = Math.imul(h1 ^ bytes[i], 2654435761);
      h2 = Math.imul(h2 ^ bytes[i], 1597334677);
    }
    this.h1 = h1;
    this.h2 = h2;
    this.length += bytes.length;
  }

  digest(): string {
    let h1 = this.h1 ^ this.length;
    let h2 = this.h2;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
  }
}
