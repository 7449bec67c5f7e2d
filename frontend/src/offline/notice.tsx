/** What the page says about the connection: offline, answers kept on the phone, sent once back. */
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n';
import { offlineNote, onOfflineNote, type OfflineNote } from './index';

const TEXT: Record<OfflineNote, string> = { offline: 'offline.offline', kept: 'offline.kept', sent: 'offline.sent', not_sent: 'offline.not_sent' };

export function OfflineNotice() {
  const [note, setNote] = useState(offlineNote);
  useEffect(() => onOfflineNote(setNote), []);
  // Always in the page (empty when there is nothing to say), so screen readers announce changes.
  return (
    <div role="status" aria-live="polite" id="connection-note">
      {note && <div class={note === 'sent' ? 'govuk-inset-text ssp-note--sent' : 'govuk-inset-text'}>{t(TEXT[note])}</div>}
    </div>
  );
}
