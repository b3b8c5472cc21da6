import { describe, expect, it } from 'vitest';
import { normalize, type Prototype } from '../../src/inference/personal-prototypes';
import { describeHarms, encodeReplaySet, parseReplaySet, REPLAY_RECORD_BYTES, replayHarms, type ReplayReading } from '../../src/inference/replay-guard';

/** Probabilities over the 11 classes, sure of `digit`. */
function sure(digit: number, p = 0.9): number[] {
  const out = new Array<number>(11).fill((1 - p) / 10);
  out[digit] = p;
  return out;
}

/** Two replay crops: a 3 pointing along the first axis, a 7 along the second (4-d embeddings). */
const replay: ReplayReading = {
  labels: Uint8Array.from([3, 7]),
  probabilities: Float32Array.from([...sure(3), ...sure(7)]),
  classes: 11,
  embeddings: Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0]),
};
const at = (v: number[], classIndex: number): Prototype => ({ embedding: normalize(Float32Array.from(v)), classIndex });

describe('replayHarms', () => {
  it('finds nothing when a correction lands far from every replay crop', () => {
    expect(replayHarms(replay, [], [at([0, 0, 1, 0], 5)])).toEqual([]);
  });

  it('names the replay crop a correction would turn, what it read and would read', () => {
    // A prototype on top of the 3, saying it is a 5: the 3 would read 5.
    expect(replayHarms(replay, [], [at([1, 0, 0, 0], 5)])).toEqual([{ index: 0, label: 3, before: 3, after: 5 }]);
    expect(replayHarms(replay, [], [at([0, 1, 0, 0], 10)])).toEqual([{ index: 1, label: 7, before: 7, after: 10 }]);
  });

  it('allows a correction agreeing with a replay crop, and compares with the prototypes already kept', () => {
    expect(replayHarms(replay, [], [at([1, 0, 0, 0], 3)])).toEqual([]);
    const kept = [at([1, 0, 0, 0], 5)];
    expect(replayHarms(replay, kept, [...kept, at([0, 0, 1, 0], 2)])).toEqual([]); // Already read 5 before: no change now.
  });

  it('sees a change a dropped prototype makes, and one far from the new prototype but near another is left alone', () => {
    const kept = [at([1, 0, 0, 0], 5)];
    // The bound dropped the 5 on top of the 3: the 3 reads 3 again, a change.
    expect(replayHarms(replay, kept, [at([0, 0, 1, 0], 2)])).toEqual([{ index: 0, label: 3, before: 5, after: 3 }]);
    // A second prototype beside the kept one, on the far side from the 7: nothing reads differently.
    expect(replayHarms(replay, kept, [...kept, at([1, 0.05, 0, 0], 5)])).toEqual([]);
  });
});

describe('the replay file', () => {
  it('round-trips labels and crops (to 1/255)', () => {
    const crops = new Float32Array(2 * 784).map((_, i) => (i % 256) / 255);
    const labels = Uint8Array.from([9, 0]);
    const bytes = encodeReplaySet({ crops, labels });
    expect(bytes.length).toBe(2 * REPLAY_RECORD_BYTES);
    const back = parseReplaySet(bytes);
    expect(back.labels).toEqual(labels);
    for (let i = 0; i < crops.length; i++) expect(Math.abs(back.crops[i] - crops[i])).toBeLessThan(1 / 255);
  });

  it('refuses an empty file, a truncated one and a label over 9', () => {
    expect(() => parseReplaySet(new Uint8Array(0))).toThrow(/records/);
    expect(() => parseReplaySet(new Uint8Array(REPLAY_RECORD_BYTES + 1))).toThrow(/records/);
    const bad = new Uint8Array(REPLAY_RECORD_BYTES);
    bad[0] = 10;
    expect(() => parseReplaySet(bad)).toThrow(/label 10/);
  });

  it('says how many reference digits would change and the first, in words', () => {
    expect(describeHarms([{ index: 0, label: 3, before: 3, after: 10 }, { index: 4, label: 1, before: 1, after: 7 }], 300)).toBe(
      "it would change how 2 of Digitpad's 300 reference digits read (a 3 would read not a digit).",
    );
  });
});
