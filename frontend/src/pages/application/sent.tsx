/**
 * An application that can no longer be changed (sent, and not asked for more information): its
 * editing pages (a question, a member, the documents, check your answers) are left at once for
 * its status page, which says why in plain words. Back after sending lands there too.
 *
 * And a save refused because the application changed meanwhile (409, often the person's own other
 * tab): a plain message and a button that reads the application again, keeping what they typed.
 */
import { useState } from 'preact/hooks';
import { api } from '../../api/client';
import { t } from '../../i18n';
import { navigate } from '../../router';
import type { Application, Loaded } from './loaded';

let leftSent: string | undefined;

/** True (and on the way to the status page) when ``loaded`` can no longer be edited. */
export function leaveIfSent(loaded: Loaded): boolean {
  if (loaded.application.editable !== false) return false;
  leftSent = loaded.application.application_id;
  navigate(`/applications/${encodeURIComponent(loaded.application.application_id)}`, { replace: true });
  return true;
}

/** Whether the status page of ``id`` was reached from one of its editing pages (said once). */
export function takeLeftSent(id: string): boolean {
  const was = leftSent === id;
  if (was) leftSent = undefined;
  return was;
}

export function SentNotice() {
  return (
    <div class="govuk-inset-text" role="status" id="sent-notice">
      {t('apply.sent_cannot_change')}
    </div>
  );
}

/** The application changed since this page read it: maybe in another tab of the person's own.
 * "Reload" reads it again and keeps the answers typed on this page (the page stays as it is). */
export function ConflictNotice({ loaded, onReloaded }: { loaded: Loaded; onReloaded: (loaded: Loaded) => void }) {
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const reload = async () => {
    setBusy(true);
    setFailed(false);
    try {
      const fresh = await api<Application>('GET', `/applications/${encodeURIComponent(loaded.application.application_id)}`);
      onReloaded({ ...loaded, application: fresh });
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="govuk-notification-banner" role="alert" aria-labelledby="conflict-title" id="conflict">
      <div class="govuk-notification-banner__header">
        <h2 class="govuk-notification-banner__title" id="conflict-title">
          {t('apply.conflict_title')}
        </h2>
      </div>
      <div class="govuk-notification-banner__content">
        <p class="govuk-body">{t('apply.conflict_body')}</p>
        {failed && <p class="govuk-body">{t('error.network')}</p>}
        <button type="button" class="govuk-button govuk-!-margin-bottom-0" onClick={reload} disabled={busy}>
          {t('apply.conflict_reload')}
        </button>
      </div>
    </div>
  );
}
