/**
 * What staff and officers did with a person's data (`GET /api/me/activity`), in words: every
 * action the backend records has a text in each catalog (`activity.action.<action>`), and an
 * action added later reads as a general "looked at or changed your details" until it has one.
 */
import { has, t } from '../i18n';

/** Every action the backend writes to a person's activity log (checked against chalicelib/ by a test). */
export const ACTIVITY_ACTIONS = [
  'application_viewed',
  'application_status_changed',
  'application_created',
  'application_answers_saved',
  'application_submitted',
  'application_withdrawn',
  'registered_by_officer',
  'profile_viewed',
  'profile_changed',
  'change_request_viewed',
  'change_request_approved',
  'change_request_rejected',
  'document_downloaded',
  'application_documents_viewed',
  'assisted.capture_requested',
  'assisted.identity_verified',
  'assisted.identity_not_verified',
  'assisted.session_closed',
  'assisted.applications_read',
  'assisted.application_read',
  'assisted.enrolments_read',
  'assisted.document_declared',
  'assisted.document_uploaded',
  'assisted.documents_read',
  'assisted.profile_read',
] as const;

export function activityText(action: string): string {
  const key = `activity.action.${action}`;
  return has(key) ? t(key) : t('activity.action.other');
}
