/** The staff console's sections a staff member's roles open: the console's home page and the
 * header's navigation list the same ones. */
export interface StaffLink {
  href: string;
  text: string; // catalog key of the link's name
  lead: string; // catalog key of what it is for
}

export function staffLinks(roles: readonly string[]): StaffLink[] {
  const admin = roles.includes('admin');
  const reviewer = roles.includes('reviewer');
  const links: StaffLink[] = [];
  if (admin) {
    links.push({ href: '/staff/programs', text: 'staff.programs', lead: 'staff.programs_lead' });
    links.push({ href: '/staff/forms', text: 'staff.forms', lead: 'staff.forms_lead' });
    links.push({ href: '/staff/profile-form', text: 'staff.profile_form', lead: 'staff.profile_form_lead' });
    links.push({ href: '/staff/integrations', text: 'staff.integrations', lead: 'staff.integrations_lead' });
  }
  if (reviewer) links.push({ href: '/staff/review', text: 'staff.queue', lead: 'staff.queue_lead' });
  if (roles.includes('officer')) links.push({ href: '/staff/officer', text: 'officer.desk', lead: 'officer.desk_lead' });
  if (admin || reviewer) links.push({ href: '/staff/changes', text: 'staff.change_requests', lead: 'staff.change_requests_lead' });
  return links;
}
