/** Loading data for a page: one GET (perhaps already on its way), its error, and a way to load it again. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from './client';
import { read, readCurrent, takePrefetched } from './prefetch';

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
    const failed = (error: unknown) => {
      if ((error as Error).name !== 'AbortError') setState({ error: error as ApiError, loading: false });
    };
    const first = (tick === 0 && !options.staff ? takePrefetched<T>(path, options.query) : undefined) ?? read<T>(path, { staff: options.staff, query: options.query, signal: controller.signal });
    first.then(({ data, cached }) => {
      if (controller.signal.aborted) return;
      setState({ data, loading: false });
      // The service worker's copy from an earlier visit: shown at once, then the current data.
      if (cached) readCurrent<T>(path, { query: options.query, signal: controller.signal }).then((current) => setState({ data: current, loading: false }), () => undefined);
    }, failed);
    return () => controller.abort();
  }, [path, tick, queryKey]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}
