/** GOV.UK Design System patterns as small Preact components (markup from GOV.UK Frontend). */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n';

export interface ErrorItem {
  /** id of the field's first input, for the summary's link */
  href: string;
  text: string;
}

/** The error summary: takes focus when it appears, links to each field (GOV.UK pattern). */
export function ErrorSummary({ errors, title }: { errors: ErrorItem[]; title?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const signature = errors.map((e) => e.href + e.text).join('|');
  useEffect(() => {
    if (errors.length) ref.current?.focus();
  }, [signature]);
  if (!errors.length) return null;
  const follow = (event: JSX.TargetedMouseEvent<HTMLAnchorElement>, href: string) => {
    const target = document.getElementById(href.slice(1));
    if (!target) return;
    event.preventDefault();
    target.focus();
    (target.closest('.govuk-form-group') ?? target).scrollIntoView({ block: 'start' });
  };
  return (
    <div class="govuk-error-summary" data-module="govuk-error-summary" ref={ref} tabIndex={-1}>
      <div role="alert">
        <h2 class="govuk-error-summary__title">{title ?? t('common.there_is_a_problem')}</h2>
        <div class="govuk-error-summary__body">
          <ul class="govuk-list govuk-error-summary__list">
            {errors.map((error) => (
              <li key={error.href}>
                {error.href ? (
                  <a href={error.href} onClick={(event) => follow(event, error.href)}>
                    {error.text}
                  </a>
                ) : (
                  error.text
                )}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}

export function ErrorMessage({ id, text }: { id: string; text?: string }) {
  if (!text) return null;
  return (
    <p id={id} class="govuk-error-message">
      <span class="govuk-visually-hidden">{t('common.error_prefix')}</span> {text}
    </p>
  );
}

const TAG_COLOURS: Record<string, string> = {
  draft: 'grey',
  submitted: 'blue',
  under_review: 'light-blue',
  info_requested: 'yellow',
  approved: 'green',
  enrolled: 'green',
  rejected: 'red',
  withdrawn: 'grey',
  cancelled: 'grey',
};

/** An application's status in words (`status.<status>`), or the status itself spaced out. */
export function statusName(status: string): string {
  const key = `status.${status}`;
  const text = t(key);
  return text === key ? status.replace(/_/g, ' ') : text;
}

/** A status tag: colour and words together, never colour alone. */
export function StatusTag({ status }: { status: string }) {
  const colour = TAG_COLOURS[status];
  return <strong class={`govuk-tag${colour ? ` govuk-tag--${colour}` : ''}`}>{statusName(status)}</strong>;
}

export interface SummaryRow {
  key: string;
  value: ComponentChildren;
  change?: { href: string; hidden: string };
}

/**
 * A GOV.UK summary card as an item of a list (`<ul class="govuk-list">`): its title, a link to
 * ``href`` when given, and its rows; ``children`` come after the rows (or instead of them).
 */
export function SummaryCard({ title, href, level = 2, titleClass = '', rows, children }: { title: ComponentChildren; href?: string; level?: 2 | 3; titleClass?: string; rows?: SummaryRow[]; children?: ComponentChildren }) {
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <li class="govuk-summary-card">
      <div class="govuk-summary-card__title-wrapper">
        <Heading class={`govuk-summary-card__title${titleClass ? ` ${titleClass}` : ''}`}>
          {href ? (
            <a class="govuk-link" href={href}>
              {title}
            </a>
          ) : (
            title
          )}
        </Heading>
      </div>
      <div class="govuk-summary-card__content">
        {rows && <SummaryList rows={rows} />}
        {children}
      </div>
    </li>
  );
}

export function SummaryList({ rows, noBorder = false }: { rows: SummaryRow[]; noBorder?: boolean }) {
  return (
    <dl class={`govuk-summary-list${noBorder ? ' govuk-summary-list--no-border' : ''}`}>
      {rows.map((row, index) => (
        <div class={`govuk-summary-list__row${row.change ? '' : ' govuk-summary-list__row--no-actions'}`} key={index}>
          <dt class="govuk-summary-list__key">{row.key}</dt>
          <dd class="govuk-summary-list__value">{row.value}</dd>
          {row.change && (
            <dd class="govuk-summary-list__actions">
              <a class="govuk-link" href={row.change.href}>
                {t('common.change')}
                <span class="govuk-visually-hidden"> {row.change.hidden}</span>
              </a>
            </dd>
          )}
        </div>
      ))}
    </dl>
  );
}

/**
 * A GOV.UK table: an optional caption, one header cell per column (a node may be visually hidden
 * text, for a column of links), and the rows given as children (`<tr class="govuk-table__row">`).
 */
export function Table({ caption, captionSize = 'm', headers, children }: { caption?: ComponentChildren; captionSize?: 's' | 'm'; headers: ComponentChildren[]; children: ComponentChildren }) {
  return (
    <table class="govuk-table">
      {caption !== undefined && <caption class={`govuk-table__caption govuk-table__caption--${captionSize}`}>{caption}</caption>}
      <thead class="govuk-table__head">
        <tr class="govuk-table__row">
          {headers.map((header, index) => (
            <th scope="col" class="govuk-table__header" key={index}>
              {header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody class="govuk-table__body">{children}</tbody>
    </table>
  );
}

export function BackLink({ href }: { href: string }) {
  return (
    <a href={href} class="govuk-back-link">
      {t('common.back')}
    </a>
  );
}

export function Button({
  children,
  secondary = false,
  warning = false,
  disabled = false,
  type = 'submit',
  onClick,
  start = false,
}: {
  children: ComponentChildren;
  secondary?: boolean;
  warning?: boolean;
  disabled?: boolean;
  type?: 'submit' | 'button';
  onClick?: () => void;
  start?: boolean;
}) {
  const cls = `govuk-button${secondary ? ' govuk-button--secondary' : ''}${warning ? ' govuk-button--warning' : ''}${start ? ' govuk-button--start' : ''}`;
  return (
    <button type={type} class={cls} data-module="govuk-button" disabled={disabled} aria-disabled={disabled || undefined} onClick={onClick}>
      {children}
    </button>
  );
}

export function StartLink({ href, children }: { href: string; children: ComponentChildren }) {
  return (
    <a href={href} role="button" draggable={false} class="govuk-button govuk-button--start" data-module="govuk-button">
      {children}
      <svg class="govuk-button__start-icon" xmlns="http://www.w3.org/2000/svg" width="17.5" height="19" viewBox="0 0 33 40" aria-hidden="true" focusable="false">
        <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z" />
      </svg>
    </a>
  );
}

export function Loading() {
  return (
    <p class="govuk-body" role="status">
      {t('common.loading')}
    </p>
  );
}
