/** The programme's documents: one upload per kind it asks for, or a document sent before. */
import { useEffect, useState } from 'preact/hooks';
import { myDocuments, reusableDocuments, reuseDocument, UploadField, type DocumentInfo } from '../../components/documents';
import { BackLink, ErrorSummary, type ErrorItem } from '../../components/govuk';
import { api } from '../../api/client';
import { errorMessage, LoadState, useTitle } from '../../components/page';
import { DEFAULT_ACCEPT, DEFAULT_MAX_BYTES } from '../../forms/model';
import { colon, localized, t } from '../../i18n';
import { navigate } from '../../router';
import { useApplication } from './loaded';
import { leaveIfSent } from './sent';
import { sectionCount } from './task_list';

export function DocumentsPage({ id, returnTo }: { id: string; returnTo: string | null }) {
  const state = useApplication(id);
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [tried, setTried] = useState(false);
  const [earlier, setEarlier] = useState<DocumentInfo[]>([]);
  // Files taken out of the application on this visit, by kind: said once each.
  const [removed, setRemoved] = useState<Record<string, DocumentInfo[]>>({});
  // Files still being sent or checked: moving on now would send the application without them.
  const [busy, setBusy] = useState(0);
  useEffect(() => {
    myDocuments().then(setEarlier, () => setEarlier([]));
  }, [id]);
  const loaded = state.loaded;
  const summary: ErrorItem[] = loaded ? loaded.rules.filter((r) => errors[r.kind]).map((r) => ({ href: `#doc-${r.kind}`, text: errors[r.kind] as string })) : [];
  useTitle(t('timeline.documents'), summary.length > 0);
  if (!loaded) return <LoadState loading={state.loading} error={state.error} retry={state.reload} />;
  if (leaveIfSent(loaded)) return null;
  const { application } = loaded;
  const base = `/applications/${application.application_id}`;
  const proceed = () => {
    setTried(true);
    const missing: Record<string, string> = {};
    for (const rule of loaded.rules) {
      if (rule.required && !loaded.documents.some((d) => d.kind === rule.kind && d.status === 'available')) missing[rule.kind] = t('documents.error.required');
    }
    setErrors(missing);
    if (!Object.keys(missing).length) navigate(application.editable || returnTo === 'check' ? `${base}/check` : base);
  };
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <BackLink href={base} />
        <ErrorSummary errors={tried ? summary : summary.filter((s) => s.text !== t('documents.error.required'))} />
        <span class="govuk-caption-l">{t('apply.page_of', { n: sectionCount(loaded), total: sectionCount(loaded) })}</span>
        <h1 class="govuk-heading-l">{t('timeline.documents')}</h1>
        {loaded.rules.map((rule) => {
          // A file taken out of the application (`replaced`) stays only on its record, for the team.
          const mine = loaded.documents.filter((d) => d.kind === rule.kind && d.status !== 'rejected' && d.status !== 'replaced');
          const maxBytes = rule.max_bytes ?? DEFAULT_MAX_BYTES;
          const accept = rule.content_types ?? DEFAULT_ACCEPT;
          // Documents of this kind uploaded for other applications (or none) can be used here.
          const reusable = reusableDocuments(earlier, rule.kind, accept, maxBytes, (d) => d.application_id === application.application_id);
          // Documents given for a member of a repeating group (each child's certificate) say whose they are.
          const given = (application.members ?? []).flatMap((m) => m.documents.map((d) => ({ name: m.label, document: mine.find((x) => x.document_id === d.document_id) })));
          // Sent before for this kind and replaced by a newer checked one (not a member's own
          // certificate, which its answer names): `mine` is newest first.
          const forMembers = new Set((application.members ?? []).flatMap((m) => m.documents.map((d) => d.document_id)));
          const newest = mine.findIndex((d) => d.status === 'available' && !forMembers.has(d.document_id));
          const replaced = newest < 0 ? [] : mine.slice(newest + 1).filter((d) => !forMembers.has(d.document_id) && d.status === 'available');
          return (
            <div key={rule.kind}>
            {given.some((g) => g.document) && (
              <ul class="govuk-list" id={`doc-${rule.kind}-members`}>
                {given.filter((g) => g.document).map((g) => (
                  <li key={g.document!.document_id}>
                    {t('group.document_for', { name: g.name ?? '' })}
                    {colon()}
                    <span class="ssp-ltr">{g.document!.file_name}</span>
                  </li>
                ))}
              </ul>
            )}
            {replaced.length > 0 && (
              <ReplacedDocuments
                documents={replaced}
                onRemoved={(gone) => {
                  state.update({ ...loaded, documents: loaded.documents.filter((d) => d.document_id !== gone.document_id) });
                  setRemoved((list) => ({ ...list, [rule.kind]: [...(list[rule.kind] ?? []), gone] }));
                  setErrors((e) => ({ ...e, [rule.kind]: undefined }));
                }}
                onError={(text) => setErrors((e) => ({ ...e, [rule.kind]: text }))}
              />
            )}
            {(removed[rule.kind] ?? []).map((gone) => (
              <p class="govuk-body" role="status" key={gone.document_id}>
                {t('documents.removed')} <bdi>{gone.file_name}</bdi>
              </p>
            ))}
            <UploadField
              key={rule.kind}
              id={`doc-${rule.kind}`}
              label={`${localized(rule.label)}${rule.required ? '' : ` ${t('common.optional')}`}`}
              kind={rule.kind}
              applicationId={application.application_id}
              accept={accept}
              maxBytes={maxBytes}
              current={mine[0]}
              reusable={reusable}
              onReuse={(document) => reuseDocument(document, application.application_id)}
              error={errors[rule.kind]}
              onUploaded={(document) => {
                state.update({ ...loaded, documents: [document, ...loaded.documents.filter((d) => d.document_id !== document.document_id)] });
                setErrors((e) => ({ ...e, [rule.kind]: undefined }));
              }}
              onError={(text) => setErrors((e) => ({ ...e, [rule.kind]: text }))}
              onBusy={(on) => setBusy((n) => Math.max(0, n + (on ? 1 : -1)))}
            />
            </div>
          );
        })}
        <button type="button" class="govuk-button" onClick={proceed} disabled={busy > 0} aria-disabled={busy > 0 ? 'true' : undefined}>
          {t('common.continue')}
        </button>
      </div>
    </div>
  );
}

/** Files of a kind sent before the one now in use (a photo replaced because it was unreadable),
 * each with Remove: one added since the application was last sent is deleted; one that was part
 * of a sending leaves the application and stays on its record for the team, marked as replaced.
 * The server refuses one nothing replaces (`document_not_replaced`) and says what to do. */
function ReplacedDocuments({ documents, onRemoved, onError }: { documents: DocumentInfo[]; onRemoved: (document: DocumentInfo) => void; onError: (text: string) => void }) {
  const [busy, setBusy] = useState<string>();
  const remove = async (document: DocumentInfo) => {
    setBusy(document.document_id);
    try {
      await api('DELETE', `/documents/${encodeURIComponent(document.document_id)}`);
      onRemoved(document);
    } catch (error) {
      onError(errorMessage(error));
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <div class="govuk-!-margin-bottom-4">
      <p class="govuk-body govuk-!-margin-bottom-1">{t('documents.replaced')}</p>
      <ul class="govuk-list govuk-!-margin-bottom-1">
        {documents.map((document) => (
          <li key={document.document_id}>
            <bdi>{document.file_name}</bdi>{' '}
            <button type="button" class="ssp-link-button govuk-!-margin-left-2" disabled={busy === document.document_id} onClick={() => remove(document)}>
              {t('documents.remove')}
              <span class="govuk-visually-hidden"> {document.file_name}</span>
            </button>
          </li>
        ))}
      </ul>
      <p class="govuk-hint">{t('documents.replaced_hint')}</p>
    </div>
  );
}
