/** The names of states (a programme's, a form's, an application's), their tags and a list's tabs by state. */
import { statusName } from '../components/govuk';
import { has, t } from '../i18n';

export const PROGRAM_STATES = ['open', 'draft', 'closed', 'archived'];

export function stateName(state: string): string {
  const key = `staff.state.${state}`;
  return has(key) ? t(key) : state;
}

const STATE_COLOURS: Record<string, string> = { open: 'green', draft: 'grey', closed: 'yellow', archived: 'grey', published: 'blue' };

export function StateTag({ state }: { state: string }) {
  const colour = STATE_COLOURS[state];
  return <strong class={`govuk-tag${colour ? ` govuk-tag--${colour}` : ''}`}>{stateName(state)}</strong>;
}

/** Links to the same list in each state (the current one is not a link). */
export function StateTabs({ base, current, states, name = statusName }: { base: string; current: string; states: string[]; name?: (state: string) => string }) {
  return (
    <nav aria-label={t('staff.filter_status')}>
      <ul class="govuk-list ssp-inline-list">
        {states.map((state) => (
          <li key={state}>
            {state === current ? (
              <strong aria-current="page">{name(state)}</strong>
            ) : (
              <a class="govuk-link" href={`${base}${base.includes('?') ? '&' : '?'}status=${state}`}>
                {name(state)}
              </a>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}
