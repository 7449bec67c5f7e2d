/** A paginated staff list, read page by page, and its "Show more" button. */
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, itemsOf } from '../api/client';
import { t } from '../i18n';

interface Paged<T> {
  items: T[];
  cursor?: string | null;
  loading: boolean;
  loaded: boolean;
  error?: ApiError;
}

/**
 * A paginated staff list ({items, next_cursor}): the first page, then the next ones appended by
 * `more` (undefined when there are no more).
 */
export function usePaged<T>(path: string | null, query: Record<string, string | undefined> = {}): Paged<T> & { more?: () => void; reload: () => void } {
  const [state, setState] = useState<Paged<T>>({ items: [], loading: path !== null, loaded: false });
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(query);
  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    setState({ items: [], loading: true, loaded: false });
    api<{ next_cursor?: string | null }>('GET', path, { staff: true, query, signal: controller.signal }).then(
      (data) => setState({ items: itemsOf<T>(data), cursor: data?.next_cursor, loading: false, loaded: true }),
      (error) => {
        if ((error as Error).name !== 'AbortError') setState({ items: [], loading: false, loaded: false, error: error as ApiError });
      },
    );
    return () => controller.abort();
  }, [path, key, tick]);
  const more =
    path !== null && state.cursor && !state.loading
      ? () => {
          setState((s) => ({ ...s, loading: true }));
          api<{ next_cursor?: string | null }>('GET', path, { staff: true, query: { ...query, cursor: state.cursor as string } }).then(
            (data) => setState((s) => ({ items: [...s.items, ...itemsOf<T>(data)], cursor: data?.next_cursor, loading: false, loaded: true })),
            (error) => setState((s) => ({ ...s, loading: false, error: error as ApiError })),
          );
        }
      : undefined;
  return { ...state, more, reload: () => setTick((n) => n + 1) };
}

/** "Show more" under a paginated list. */
export function ShowMore({ more }: { more?: () => void }) {
  if (!more) return null;
  return (
    <button type="button" class="govuk-button govuk-button--secondary" onClick={more}>
      {t('staff.show_more')}
    </button>
  );
}
