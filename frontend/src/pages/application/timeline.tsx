/** An application's timeline, newest first, shown to the person and to reviewers. */
import { colon, formatDate, t } from '../../i18n';
import type { Application, TimelineEntry } from './loaded';

/** The words for one step; a submission an officer made with the person says so (issue 7). */
function timelineKey(entry: TimelineEntry): string {
  if (entry.from === null) return 'timeline.event.created';
  if (entry.to === 'submitted' && entry.from === 'info_requested') return entry.by?.role === 'officer' ? 'timeline.event.information_provided_by_officer' : 'timeline.event.information_provided';
  if (entry.to === 'submitted' && entry.by?.role === 'officer') return 'timeline.event.submitted_by_officer';
  return `timeline.event.${entry.to}`;
}

/** What the page says of an officer's part: they sent it with the person (a submission step by
 * an officer), or they only started it with them (the assisted channel, sent by the person). */
export function officerNote(application: Pick<Application, 'channel' | 'timeline'>): string | null {
  if ((application.timeline ?? []).some((e) => e.to === 'submitted' && e.by?.role === 'officer')) return 'apply.submitted_by_officer';
  return application.channel === 'assisted' ? 'apply.started_by_officer' : null;
}

export function Timeline({ entries, staff = false }: { entries: TimelineEntry[]; staff?: boolean }) {
  const sorted = [...entries].sort((a, b) => (a.at < b.at ? 1 : -1));
  return (
    <ol class="ssp-timeline">
      {sorted.map((entry, index) => {
        const key = timelineKey(entry);
        const title = t(key);
        return (
          <li class="ssp-timeline__item" key={index}>
            <h3 class="ssp-timeline__title">{title === key ? t('timeline.event.other') : title}</h3>
            <p class="ssp-timeline__meta">
              {formatDate(entry.at, true)} · {staff && entry.by?.role === 'registrant' ? t('staff.applicant') : t(`timeline.by.${entry.by?.role ?? 'system'}`)}
            </p>
            {entry.reason && (
              <p class="govuk-body govuk-!-margin-top-1">
                <span class="govuk-visually-hidden">
                  {t('timeline.reason')}
                  {colon()}
                </span>
                {entry.reason}
              </p>
            )}
          </li>
        );
      })}
    </ol>
  );
}
