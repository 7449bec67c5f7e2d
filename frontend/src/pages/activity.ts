/**
 * What staff and officers did with a person's data (`GET /api/me/activity`), in words: every
 * action the backend records has a text in each catalog (`activity.action.<action>`), and an
 * action added later reads as a general "looked at or changed your details" until it has one.
 */
import { has, t } from '../i18n';

export function activityText(action: string): string {
  const key = `activity.action.${action}`;
  return has(key) ? t(key) : t('activity.action.other');
}
