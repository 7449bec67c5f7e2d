/** The "application policy" task: how often one person may apply (once, one at a time, again after a wait). */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../../api/client';
import { BackLink, ErrorSummary } from '../../components/govuk';
import { useTitle } from '../../components/page';
import { localized, t } from '../../i18n';
import { navigate } from '../../router';
import { TextField } from '../fields';
import { problemsOf, summaryOf, type Problem } from '../problems';
import { programPath, setupHref, WithProgram, type Program } from './common';

const KINDS = ['once', 'one_active', 'repeat'];

export function SetupPolicy({ id }: { id: string }) {
  return <WithProgram id={id}>{(program) => <PolicyForm program={program} />}</WithProgram>;
}

function PolicyForm({ program }: { program: Program }) {
  const [kind, setKind] = useState(program.policy?.kind ?? 'one_active');
  const [cooldown, setCooldown] = useState(String(program.policy?.cooldown_days ?? 0));
  const [problems, setProblems] = useState<Problem[]>([]);
  const name = localized(program.name) || program.program_id;
  useTitle(t('staff.setup.policy.title', { name }), problems.length > 0);
  const save = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (kind === 'repeat' && !/^\d{1,4}$/.test(cooldown.trim())) return setProblems([{ id: 'setup-cooldown', text: t('staff.error.cooldown_days') }]);
    setProblems([]);
    try {
      const policy = { kind, ...(kind === 'repeat' ? { cooldown_days: Number(cooldown.trim()) } : {}) };
      await api('PATCH', programPath(program.program_id), { staff: true, body: { policy, version: program.version } });
      navigate(`${setupHref(program.program_id)}?done=policy`);
    } catch (error) {
      setProblems(problemsOf(error, (pointer) => (pointer.endsWith('cooldown_days') ? 'setup-cooldown' : `setup-policy-${KINDS[0]}`), `setup-policy-${KINDS[0]}`));
    }
  };
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <BackLink href={setupHref(program.program_id)} />
        <ErrorSummary errors={summaryOf(problems)} />
        <span class="govuk-caption-l">{name}</span>
        <form onSubmit={save} noValidate action="#">
          <div class="govuk-form-group">
            <fieldset class="govuk-fieldset" aria-describedby="setup-policy-hint">
              <legend class="govuk-fieldset__legend govuk-fieldset__legend--l">
                <h1 class="govuk-fieldset__heading">{t('staff.setup.task.policy')}</h1>
              </legend>
              <div class="govuk-hint" id="setup-policy-hint">
                {t('staff.setup.policy.lead')}
              </div>
              <div class="govuk-radios" data-module="govuk-radios">
                {KINDS.map((choice) => (
                  <div class="govuk-radios__item" key={choice}>
                    <input class="govuk-radios__input" id={`setup-policy-${choice}`} name="policy" type="radio" value={choice} checked={kind === choice} onChange={() => setKind(choice)} aria-describedby={`setup-policy-${choice}-hint`} />
                    <label class="govuk-label govuk-radios__label" for={`setup-policy-${choice}`}>
                      {t(`staff.policy.${choice}`)}
                    </label>
                    <div id={`setup-policy-${choice}-hint`} class="govuk-hint govuk-radios__hint">
                      {t(`staff.setup.policy.${choice}_hint`)}
                    </div>
                  </div>
                ))}
              </div>
            </fieldset>
          </div>
          {kind === 'repeat' && (
            <TextField id="setup-cooldown" label={t('staff.cooldown_days')} width="4" inputMode="numeric" value={cooldown} onInput={setCooldown} problems={problems} />
          )}
          <p class="govuk-body">{t('staff.setup.policy.applies_after')}</p>
          <button type="submit" class="govuk-button">
            {t('staff.setup.save_and_return')}
          </button>
        </form>
      </div>
    </div>
  );
}
