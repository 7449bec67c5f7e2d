/**
 * The "reviewers" task. The portal does not assign reviewers: the staff identity provider says who
 * has the reviewer role and, with the programmes claim (SSP_STAFF_PROGRAMS_CLAIM, `programs` by
 * default), which programmes each reviewer may see (chalicelib/auth/staff.py). So this page says
 * who can review this programme and how to change it, with the claim to give.
 */
import { BackLink } from '../../components/govuk';
import { useTitle } from '../../components/page';
import { localized, t } from '../../i18n';
import { setupHref, WithProgram, type Program } from './common';

export function SetupReviewers({ id }: { id: string }) {
  return <WithProgram id={id}>{(program) => <Reviewers program={program} />}</WithProgram>;
}

function Reviewers({ program }: { program: Program }) {
  const name = localized(program.name) || program.program_id;
  useTitle(t('staff.setup.reviewers.title', { name }));
  const claim = JSON.stringify({ roles: ['reviewer'], programs: [program.program_id] }).replace(/,/g, ', ');
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <BackLink href={setupHref(program.program_id)} />
        <span class="govuk-caption-l">{name}</span>
        <h1 class="govuk-heading-l">{t('staff.setup.task.reviewers')}</h1>
        <p class="govuk-body">{t('staff.setup.reviewers.lead')}</p>
        <h2 class="govuk-heading-m">{t('staff.setup.reviewers.who')}</h2>
        <ul class="govuk-list govuk-list--bullet">
          <li>{t('staff.setup.reviewers.everyone')}</li>
          <li>{t('staff.setup.reviewers.limited')}</li>
          <li>{t('staff.setup.reviewers.admins')}</li>
        </ul>
        <h2 class="govuk-heading-m">{t('staff.setup.reviewers.change')}</h2>
        <p class="govuk-body">{t('staff.setup.reviewers.how')}</p>
        {/* Not a <pre>: the claim wraps inside a 320 px screen, breaking a long identifier if it must. */}
        <p class="govuk-body govuk-!-text-break-word ssp-ltr" dir="ltr" aria-label={t('staff.setup.reviewers.example')}>
          <code>{claim}</code>
        </p>
        <p class="govuk-body">{t('staff.setup.reviewers.next_sign_in')}</p>
        <div class="govuk-inset-text">{t('staff.setup.reviewers.local')}</div>
        <a class="govuk-button" href={setupHref(program.program_id)}>
          {t('staff.setup.back_to_list')}
        </a>
      </div>
    </div>
  );
}
