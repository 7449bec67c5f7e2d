/**
 * The form builder's page (its own chunk inside the staff console): loads the builder's texts
 * (kept out of the main catalogs) and the form version, then the builder.
 */
import { useEffect, useState } from 'preact/hooks';
import { useApi } from '../../api/hooks';
import { LoadState } from '../../components/page';
import { extendCatalog, t, type Catalog, type Locale } from '../../i18n';
import { Builder, type StoredVersion } from './builder';

const CATALOGS: Record<Locale, () => Promise<Catalog>> = {
  en: async () => (await import('./i18n/en.json')).default as Catalog,
  fr: async () => (await import('./i18n/fr.json')).default as Catalog,
  ar: async () => (await import('./i18n/ar.json')).default as Catalog,
};

const NOTICES: Record<string, string> = { created: 'staff.form_created', version: 'staff.version_created', published: 'staff.published' };

export function FormBuilderPage({ formId, version, query }: { formId: string; version: string; query: URLSearchParams }) {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    extendCatalog(CATALOGS).then(() => setReady(true));
  }, []);
  const loaded = useApi<StoredVersion>(`/admin/forms/${encodeURIComponent(formId)}/versions/${encodeURIComponent(version)}`, { staff: true });
  if (!ready || !loaded.data) return <LoadState loading={loaded.loading || !ready} error={loaded.error} retry={loaded.reload} />;
  const done = query.get('done') ?? '';
  // `?back=/staff/...`: where the builder was opened from (a programme's set-up task list), for the back link.
  const back = query.get('back') ?? '';
  return (
    <Builder
      key={`${formId}/${version}/${loaded.data.status}`}
      stored={loaded.data}
      reload={loaded.reload}
      initialNotice={NOTICES[done] ? t(NOTICES[done]) : undefined}
      back={back.startsWith('/staff/') && !back.startsWith('//') ? back : undefined}
    />
  );
}
