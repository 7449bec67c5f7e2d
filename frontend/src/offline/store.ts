/**
 * A tiny key-value store in IndexedDB (one database, one object store): what the person typed
 * and has not yet been saved on the server. Our own ~40 lines rather than a dependency: the
 * app needs get, set, delete, list and clear, nothing more, and the first page stays small.
 *
 * Where IndexedDB is missing or refused (some private modes, the unit tests' DOM), the same
 * calls keep the values in memory for the page's life: nothing is lost that a reload would not
 * lose anyway.
 */
const DATABASE = 'ssp-offline';
const STORE = 'kv';

export interface KeyValueStore {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  keys(): Promise<string[]>;
  clear(): Promise<void>;
}

export function memoryStore(): KeyValueStore {
  const values = new Map<string, unknown>();
  return {
    get: async <T>(key: string) => structuredCloneOf(values.get(key)) as T | undefined,
    set: async (key, value) => void values.set(key, structuredCloneOf(value)),
    del: async (key) => void values.delete(key),
    keys: async () => [...values.keys()],
    clear: async () => values.clear(),
  };
}

function structuredCloneOf<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function requestDone<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function transactionDone(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = tx.onerror = () => reject(tx.error);
  });
}

export function indexedDbStore(factory: IDBFactory): KeyValueStore {
  let opened: Promise<IDBDatabase> | undefined;
  const db = () => {
    if (!opened) {
      const request = factory.open(DATABASE, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      opened = requestDone(request);
      opened.catch(() => (opened = undefined));
    }
    return opened;
  };
  const run = async <T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T> | void): Promise<T> => {
    const tx = (await db()).transaction(STORE, mode);
    const finished = transactionDone(tx);
    const request = work(tx.objectStore(STORE));
    const result = request ? await requestDone(request) : (undefined as T);
    await finished;
    return result;
  };
  return {
    get: <T>(key: string) => run<T | undefined>('readonly', (s) => s.get(key) as IDBRequest<T | undefined>),
    set: (key, value) => run<void>('readwrite', (s) => void s.put(value, key)),
    del: (key) => run<void>('readwrite', (s) => void s.delete(key)),
    keys: async () => (await run<IDBValidKey[]>('readonly', (s) => s.getAllKeys())).map(String),
    clear: () => run<void>('readwrite', (s) => void s.clear()),
  };
}

/** IndexedDB when the browser has it and lets us use it; memory otherwise. */
export function deviceStore(): KeyValueStore {
  const memory = memoryStore();
  if (typeof indexedDB === 'undefined') return memory;
  const real = indexedDbStore(indexedDB);
  let fallback = false;
  const guarded = <A extends unknown[], R>(call: (store: KeyValueStore) => (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (!fallback) {
        try {
          return await call(real)(...args);
        } catch {
          fallback = true; // refused (private mode, storage full): keep going in memory
        }
      }
      return call(memory)(...args);
    };
  return {
    get: guarded((s) => s.get) as KeyValueStore['get'],
    set: guarded((s) => s.set),
    del: guarded((s) => s.del),
    keys: guarded((s) => s.keys),
    clear: guarded((s) => s.clear),
  };
}
