import { loadNaive } from './naive';

/** Marked when the baseline page can read: its "first recognition possible". */
export const NAIVE_READY_MARK = 'naive:ready';

void loadNaive(new URL('../model/model.json', document.baseURI).href).then(
  (ready) => performance.mark(NAIVE_READY_MARK, { detail: ready }),
  (error: unknown) => performance.mark('naive:error', { detail: String(error) }),
);
