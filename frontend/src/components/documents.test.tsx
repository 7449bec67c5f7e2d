import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { useCatalogForTests } from '../i18n';
import en from '../i18n/en.json';
import { buildModel, requiredFields } from '../forms/model';
import { FormFields } from '../forms/render';
import { householdForm } from '../forms/fixtures';
import { checkFile, contentTypeOf, UploadField, uploadErrorText } from './documents';

const MB = 1024 * 1024;
const file = (name: string, type: string, size: number) => new File([new Uint8Array(size)], name, { type });

describe('file checks before sending', () => {
  it('gives GOV.UK’s errors for an empty, a wrongly typed and a too big file', () => {
    const accept = ['application/pdf', 'image/png'];
    expect(checkFile(file('a.pdf', 'application/pdf', 0), accept, MB)?.code).toBe('empty');
    expect(checkFile(file('a.exe', 'application/x-msdownload', 10), accept, MB)?.code).toBe('wrong_type');
    expect(checkFile(file('a.png', 'image/png', 2 * MB), accept, MB)?.code).toBe('too_big');
    expect(checkFile(file('a.png', 'image/png', 10), accept, MB)).toBeUndefined();
    useCatalogForTests('en', en);
    expect(uploadErrorText('too_big', 5 * MB)).toBe('The selected file must be smaller than 5 MB');
  });

  it('knows a file’s type by its extension when the browser does not say', () => {
    expect(contentTypeOf(file('scan.PDF', '', 1))).toBe('application/pdf');
    expect(contentTypeOf(file('photo.jpeg', '', 1))).toBe('image/jpeg');
  });
});

describe('a document question in a form', () => {
  it('has one label, tied to the file input, and the size hint', () => {
    useCatalogForTests('en', en);
    const model = buildModel(householdForm.schema, householdForm.ui_schema);
    const root = document.createElement('div');
    document.body.appendChild(root);
    render(
      <FormFields
        model={model}
        names={['/id_card']}
        raw={{}}
        errors={{}}
        required={requiredFields(model, {})}
        onChange={() => undefined}
        Document={(props) => <UploadField id={props.id} label="" kind="id-card" accept={props.field.accept} maxBytes={props.field.maxBytes} onUploaded={() => undefined} onError={() => undefined} bare />}
      />,
      root,
    );
    const labels = root.querySelectorAll('label[for="f-id_card"]');
    expect(labels.length).toBe(1);
    expect(labels[0].textContent).toBe('A photo of your ID card (optional)');
    const input = root.querySelector<HTMLInputElement>('input[type=file]#f-id_card');
    expect(input?.getAttribute('aria-describedby')).toContain('f-id_card-size-hint');
    expect(root.querySelector('#f-id_card-size-hint')?.textContent).toBe('PDF, JPG or PNG, up to 5 MB');
    render(null, root);
    root.remove();
  });
});
