import type { StoredCorrection } from './corrections-file';

const DATABASE = 'digitpad-handwriting';
const STORE = 'corrections';
/** Longest wait for the database to open (another tab holding an old version open blocks it). */
const OPEN_TIMEOUT_MS = 3_000;

/** Where a person's corrections are kept: IndexedDB, which survives a reload. */
export interface CorrectionStore {
  /** Everything kept, oldest first. */
  load(): Promise<StoredCorrection[]>;
  /** Makes what is kept exactly `corrections` (already bounded by the caller). */
  save(corrections: readonly StoredCorrection[]): Promise<void>;
}

/** Why the corrections cannot be kept on this device (private mode, storage denied or full). */
export class StorageUnavailableError extends Error {}

/** Opens the store; rejects with StorageUnavailableError when this browser keeps nothing for the page. */
export async function openCorrectionStore(): Promise<CorrectionStore> {
  const db = await openDatabase();
  return {
    load: () => run(db, 'readonly', (store) => store.getAll()).then((rows) => (rows as StoredCorrection[]).map(correctionFromRow).sort((a, b) => a.at - b.at)),
    async save(corrections) {
      await run(db, 'readwrite', (store) => {
        // One transaction: all of it is kept, or (storage full) none of it changes.
        store.clear();
        for (const c of corrections) store.add({ label: c.label, at: c.at, crop: c.crop, ...(c.prototypes ? { prototypes: c.prototypes } : {}) });
        return store.count();
      });
    },
  };
}

/**
 * A stored row as a correction; prototypes that are not even shaped right (a damaged or foreign
 * row) are left out here, and the classifier embeds the crop again. Rows from before prototypes
 * were kept have none.
 */
export function correctionFromRow({ label, at, crop, prototypes }: StoredCorrection): StoredCorrection {
  const usable = typeof prototypes === 'object' && prototypes !== null && typeof prototypes.model === 'string' && prototypes.embeddings instanceof Float32Array;
  return usable ? { label, at, crop, prototypes: { model: prototypes.model, embeddings: prototypes.embeddings } } : { label, at, crop };
}

function openDatabase(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const fail = (why: unknown) => reject(new StorageUnavailableError(`This browser does not let Digitpad keep anything on this device (${describe(why)}).`));
    const timer = setTimeout(() => fail('the storage did not answer'), OPEN_TIMEOUT_MS);
    let request: IDBOpenDBRequest;
    try {
      request = indexedDB.open(DATABASE, 1);
    } catch (error) {
      clearTimeout(timer);
      fail(error);
      return;
    }
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { autoIncrement: true });
    request.onsuccess = () => {
      clearTimeout(timer);
      resolve(request.result);
    };
    request.onerror = () => {
      clearTimeout(timer);
      fail(request.error);
    };
    request.onblocked = () => undefined; // Waits for the other tab, up to the timeout.
  });
}

/** Runs one request in a transaction and resolves with its result once the transaction is committed. */
function run(db: IDBDatabase, mode: IDBTransactionMode, body: (store: IDBObjectStore) => IDBRequest): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let transaction: IDBTransaction;
    try {
      transaction = db.transaction(STORE, mode);
    } catch (error) {
      reject(new StorageUnavailableError(describe(error)));
      return;
    }
    const request = body(transaction.objectStore(STORE));
    transaction.oncomplete = () => resolve(request.result);
    transaction.onerror = () => reject(new StorageUnavailableError(describe(transaction.error)));
    transaction.onabort = () => reject(new StorageUnavailableError(describe(transaction.error ?? 'the change was not saved')));
  });
}

function describe(error: unknown): string {
  return error instanceof Error || error instanceof DOMException ? error.message || error.name : String(error);
}
