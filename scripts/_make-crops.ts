import { loadPendigitsTrainingSet } from './lib/pendigits-training-set';
const t = performance.now();
const set = await loadPendigitsTrainingSet(3, 42, 'checkpoints/mixed/pendigits-crops-3x-seed42.bin');
console.log(`${set.count} crops in ${((performance.now() - t) / 1000).toFixed(0)} s`);
