/**
 * Who looked at or changed my details: each action in words, which application it was about
 * (programme and reference), and near-identical rows in a row (the same action by the same kind
 * of person on the same application, the same day) folded into one "3 times" row. The HTML export
 * folds the same way (`chalicelib/person/export.py` `fold_activity`).
 */
import { itemsOf } from '../api/client';
import { useApi } from '../api/hooks';
import { BackLink, SummaryCard } from '../components/govuk';
import { LoadState, Page } from '../components/page';
import { formatDate, has, localized, t } from '../i18n';
import { activityText } from './activity';
import type { ApplicationSummary } from './registrant';

export interface ActivityItem {
  at: string;
  action: string;
  by: { role: string; ref?: string };
  details?: Record<string, unknown> | null;
}

export interface FoldedActivity {
  item: ActivityItem;
  count: number;
  /** the earliest of the folded rows (the list is newest first) */
  firstAt: string;
}

export function foldActivity(items: ActivityItem[]): FoldedActivity[] {
  const folded: (FoldedActivity & { key: string })[] = [];
  for (const item of items) {
    const key = [item.action, item.by?.role, String(item.details?.application_id ?? ''), item.at.slice(0, 10)].join('|');
    const last = folded[folded.length - 1];
    if (last && last.key === key) {
      last.count += 1;
      last.firstAt = item.at;
    } else folded.push({ key, item, count: 1, firstAt: item.at });
  }
  return folded.map(({ item, count, firstAt }) => ({ item, count, firstAt }));
}

function who(role: string): string {
  return has(`timeline.by.${role}`) ? t(`timeline.by.${role}`) : t('activity.by_staff');
}

export function ActivityPage() {
  const activity = useApi<unknown>('/me/activity');
  const applications = useApi<unknown>('/applications');
  const list = itemsOf<ActivityItem>(activity.data, 'activity');
  const byId = new Map(itemsOf<ApplicationSummary>(applications.data, 'applications').map((a) => [a.application_id, a]));
  const rows = foldActivity(list);
  return (
    <Page title={t('activity.title')}>
      <BackLink href="/me" />
      <h1 class="govuk-heading-l">{t('activity.title')}</h1>
      <LoadState loading={activity.loading} error={activity.error} retry={activity.reload} />
      {activity.data !== undefined && list.length === 0 && <p class="govuk-body">{t('activity.none')}</p>}
      {rows.length > 0 && (
        <ul class="govuk-list ssp-activity">
          {rows.map(({ item, count, firstAt }, index) => {
            const application = byId.get(String(item.details?.application_id ?? ''));
            const what = count > 1 ? t('activity.times', { count, what: activityText(item.action) }) : activityText(item.action);
            return (
              <SummaryCard
                key={index}
                title={what}
                rows={[
                  { key: t('activity.when'), value: count > 1 && formatDate(firstAt, true) !== formatDate(item.at, true) ? t('activity.between', { from: formatDate(firstAt, true), to: formatDate(item.at, true) }) : formatDate(item.at, true) },
                  { key: t('activity.who'), value: who(item.by.role) },
                  ...(application
                    ? [
                        {
                          key: t('activity.application'),
                          value: (
                            <a class="govuk-link" href={`/applications/${encodeURIComponent(application.application_id)}`}>
                              {localized(application.program_name) || application.program_id} <span class="ssp-ltr">{application.reference ?? ''}</span>
                            </a>
                          ),
                        },
                      ]
                    : []),
                ]}
              />
            );
          })}
        </ul>
      )}
    </Page>
  );
}
