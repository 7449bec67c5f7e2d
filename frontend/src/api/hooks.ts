/** Loading data for a page: one GET, its error, and a way to load it again. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, ApiError } from './client';

export interface Loaded<T> {
  data?: T;
  error?: ApiError;
  loading: boolean;
  reload: () => void;
}

export function useApi<T>(path: string | null, options: { staff?: boolean; query?: Record<string, string | undefined> } = {}): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: path !== null });
  const [tick, setTick] = useState(0);
  const queryKey = JSON.stringify(options.query ?? {});
  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    api<T>('GET', path, { staff: options.staff, query: options.query, signal: controller.signal }).then(
      (data) => setState({ data, loading: false }),
      (error) => {
        if ((error as Error).name !== 'AbortError') setState({ error: error as ApiError, loading: false });
      },
    );
    return () => controller.abort();
  }, [path, tick, queryKey]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}
