/** A form in the backend's subset (docs/programs.md), used by the renderer's tests. */
export const householdForm = {
  schema: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    additionalProperties: false,
    required: ['full_name', 'birth_date', 'employed', 'household'],
    properties: {
      full_name: { type: 'string', maxLength: 100 },
      birth_date: { type: 'string', format: 'date' },
      employed: { type: 'boolean' },
      employer: { type: 'string', maxLength: 100 },
      household: {
        type: 'object',
        title: { en: 'Your household', fr: 'Votre foyer', ar: 'أسرتك' },
        additionalProperties: false,
        required: ['size'],
        properties: { size: { type: 'integer', minimum: 1, maximum: 30 } },
      },
      region: { type: 'string', enum: ['north', 'south'] },
      needs: { type: 'array', items: { type: 'string', enum: ['food', 'housing', 'health'] }, uniqueItems: true },
      notes: { type: 'string', maxLength: 2000 },
      id_card: { type: 'string', maxLength: 100 },
      national_id: { type: 'string', maxLength: 20 },
    },
    allOf: [{ if: { properties: { employed: { const: true } }, required: ['employed'] }, then: { required: ['employer'] } }],
  },
  ui_schema: {
    pages: [
      { id: 'about-you', title: { en: 'About you', fr: 'À propos de vous', ar: 'عنك' }, fields: ['/full_name', '/birth_date', '/national_id'] },
      { id: 'work', title: { en: 'Work', fr: 'Travail', ar: 'العمل' }, fields: ['/employed', '/employer'] },
      { id: 'household', title: { en: 'Household', fr: 'Foyer', ar: 'الأسرة' }, fields: ['/household/size', '/region', '/needs', '/notes', '/id_card'] },
    ],
    fields: {
      '/full_name': { widget: 'text', label: { en: 'Full name', fr: 'Nom complet', ar: 'الاسم الكامل' } },
      '/birth_date': { widget: 'date', label: { en: 'Date of birth', fr: 'Date de naissance', ar: 'تاريخ الميلاد' } },
      '/national_id': { widget: 'text', label: { en: 'National ID number' } },
      '/employed': { widget: 'radio', label: { en: 'Are you employed?', fr: 'Avez-vous un emploi ?' } },
      '/employer': { widget: 'text', label: { en: 'Employer' } },
      '/household/size': { widget: 'number', label: { en: 'How many people live with you?' }, hint: { en: 'Include yourself' } },
      '/region': { widget: 'select', label: { en: 'Region' }, options: { north: { en: 'North', fr: 'Nord' }, south: { en: 'South', fr: 'Sud' } } },
      '/needs': { widget: 'checkbox', label: { en: 'What do you need help with?' }, options: { food: { en: 'Food' }, housing: { en: 'Housing' }, health: { en: 'Health' } } },
      '/notes': { widget: 'textarea', label: { en: 'Anything else?' } },
      '/id_card': { widget: 'document', label: { en: 'A photo of your ID card' }, document_kind: 'id-card' },
    },
  },
};
