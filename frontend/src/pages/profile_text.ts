/**
 * How a person's details read, wherever they are shown: to the person (my details, change your
 * details) and to staff (change requests, the profile form's preview).
 */
import { formatDate, has, localized, t } from '../i18n';

/** A field's label: the profile form's own (`labels`), else the catalog's, else its name. */
export function profileFieldLabel(labels: Record<string, unknown> | undefined, name: string): string {
  const own = labels?.[name];
  if (own) return localized(own);
  const key = `profile.field.${name}`;
  return has(key) ? t(key) : name;
}

/** A value in words: dates in the reader's language, an address part by part, yes or no. */
export function profileValueText(value: unknown): string {
  if (value === undefined || value === null || value === '') return t('common.not_answered');
  if (typeof value === 'object') return Object.values(value as Record<string, unknown>).filter((v) => v !== undefined && v !== null && v !== '').join(', ');
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(`${value}T00:00:00`);
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  return String(value);
}
