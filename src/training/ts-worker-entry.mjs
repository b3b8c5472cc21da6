// Entry of a Node worker thread that runs a TypeScript module: registers tsx, then imports it.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.tsEntry);
