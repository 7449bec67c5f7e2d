/** What every page shares: its title (document.title), its heading, and how errors look. */
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { has, t } from '../i18n';
import { ApiError } from '../api/client';
import { Loading } from './govuk';

export function useTitle(title: string, hasErrors = false): void {
  useEffect(() => {
    document.title = `${hasErrors ? `${t('common.error_prefix')} ` : ''}${title} – ${t('service.name')}`;
  }, [title, hasErrors]);
}

/** A translated message for an API error code, falling back to the server's safe message. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const key = `error.${error.code}`;
    if (has(key)) return t(key);
    return error.message || t('error.internal_error');
  }
  return t('error.internal_error');
}

export function Page({ title, children, errors = false, wide = false }: { title: string; children: ComponentChildren; errors?: boolean; wide?: boolean }) {
  useTitle(title, errors);
  return (
    <div class="govuk-grid-row">
      <div class={wide ? 'govuk-grid-column-full' : 'govuk-grid-column-two-thirds'}>{children}</div>
    </div>
  );
}

/** While data loads, or when it fails: a status line or a GOV.UK-style problem message. */
export function LoadState({ loading, error, retry }: { loading: boolean; error?: unknown; retry?: () => void }) {
  if (error) {
    if (error instanceof ApiError && error.status === 404) return <NotFound />;
    if (error instanceof ApiError && error.status === 401) {
      // The session ended (idle timeout, logged out elsewhere): log in again and come back here.
      location.assign(`/login?expired=1&next=${encodeURIComponent(location.pathname + location.search)}`);
      return <Loading />;
    }
    return (
      <div>
        <h1 class="govuk-heading-l" tabIndex={-1}>
          {t('common.something_wrong')}
        </h1>
        <p class="govuk-body">{errorMessage(error)}</p>
        {retry && (
          <button type="button" class="govuk-button govuk-button--secondary" onClick={retry}>
            {t('common.retry')}
          </button>
        )}
      </div>
    );
  }
  return loading ? <Loading /> : null;
}

export function NotFound() {
  useTitle(t('common.page_not_found'));
  return (
    <div>
      <h1 class="govuk-heading-l">{t('common.page_not_found')}</h1>
      <p class="govuk-body">{t('common.page_not_found_body')}</p>
    </div>
  );
}
