/** A reviewer's decision with the reason the person will read. */
import type { JSX } from 'preact';
import { ErrorMessage } from '../components/govuk';
import { t } from '../i18n';
import { TextField } from './fields';
import { messageFor, type Problem } from './problems';

/**
 * A decision with a reason the person will read: one radio per choice (ids `${prefix}-${choice}`;
 * a missing decision is reported on the first), the reason (id `reasonId`) and the submit button.
 */
export function DecisionForm(props: {
  prefix: string;
  choices: readonly string[];
  labelOf: (choice: string) => string;
  decision: string;
  onDecision: (choice: string) => void;
  reasonId: string;
  reasonHint: string;
  reasonRows: number;
  reason: string;
  onReason: (reason: string) => void;
  problems: Problem[];
  onSubmit: (event: JSX.TargetedEvent<HTMLFormElement>) => void;
}) {
  const { prefix, choices, labelOf, decision, onDecision, problems } = props;
  const error = messageFor(problems, `${prefix}-${choices[0]}`);
  return (
    <form onSubmit={props.onSubmit} noValidate action="#">
      <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
        <fieldset class="govuk-fieldset" aria-describedby={error ? `${prefix}-error` : undefined}>
          <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">
            <h2 class="govuk-fieldset__heading">{t('staff.decision')}</h2>
          </legend>
          <ErrorMessage id={`${prefix}-error`} text={error} />
          <div class="govuk-radios" data-module="govuk-radios">
            {choices.map((choice) => (
              <div class="govuk-radios__item" key={choice}>
                <input class="govuk-radios__input" id={`${prefix}-${choice}`} name={prefix} type="radio" value={choice} checked={decision === choice} onChange={() => onDecision(choice)} />
                <label class="govuk-label govuk-radios__label" for={`${prefix}-${choice}`}>
                  {labelOf(choice)}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
      </div>
      <TextField id={props.reasonId} label={t('staff.reason')} hint={props.reasonHint} rows={props.reasonRows} value={props.reason} onInput={props.onReason} problems={problems} />
      <button type="submit" class="govuk-button">
        {t('staff.record_decision')}
      </button>
    </form>
  );
}
