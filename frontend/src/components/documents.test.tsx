import { render } from 'preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useCatalogForTests, type Catalog } from '../i18n';
import en from '../i18n/en.json';
import { buildModel, requiredFields } from '../forms/model';
import { FormFields } from '../forms/render';
import { householdForm } from '../forms/fixtures';
import fr from '../i18n/fr.json';
import ar from '../i18n/ar.json';
import { checkFile, contentTypeOf, PHOTO_TARGET_BYTES, reusableDocuments, reuseDocument, shrinkPhoto, UploadField, uploadErrorText, type DocumentInfo, type PhotoEncoder } from './documents';

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

describe('using a document uploaded before', () => {
  const doc = (id: string, extra: Partial<DocumentInfo> = {}): DocumentInfo => ({
    document_id: id,
    kind: 'birth_certificate',
    file_name: `${id}.png`,
    content_type: 'image/png',
    size: 1000,
    status: 'available',
    application_id: 'app-old',
    created_at: '2026-02-03T10:00:00+00:00',
    ...extra,
  });
  const accept = ['application/pdf', 'image/png'];
  afterEach(() => vi.unstubAllGlobals());

  it('offers only checked documents of the same kind that the rule accepts, each file once', () => {
    const all = [
      doc('a', { sha256: 'x' }),
      doc('a-copy', { sha256: 'x', file_name: 'a.png' }),
      doc('b', { kind: 'id_card' }),
      doc('c', { status: 'scanning' }),
      doc('d', { content_type: 'image/gif' }),
      doc('e', { size: 10 * MB }),
      doc('f', { application_id: 'app-now' }),
      doc('g', { application_id: null }),
    ];
    expect(reusableDocuments(all, 'birth_certificate', accept, MB, (d) => d.application_id === 'app-now').map((d) => d.document_id)).toEqual(['a', 'g']);
  });

  it('attaches another application’s document through the reuse route, and uses one of this application as it is', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ document: doc('copy', { application_id: 'app-now' }) }), { status: 201 }));
    vi.stubGlobal('fetch', fetch);
    expect((await reuseDocument(doc('a'), 'app-now')).document_id).toBe('copy');
    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect([url, init.method, JSON.parse(String(init.body))]).toEqual(['/api/applications/app-now/documents', 'POST', { document_id: 'a' }]);
    expect((await reuseDocument(doc('f', { application_id: 'app-now' }), 'app-now')).document_id).toBe('f');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('lists them with when they were uploaded and a button each, and says when one cannot be used', async () => {
    useCatalogForTests('fr', fr);
    const root = document.createElement('div');
    document.body.appendChild(root);
    const used: string[] = [];
    const errors: (string | undefined)[] = [];
    const busy: boolean[] = [];
    const draw = (onReuse: (d: DocumentInfo) => Promise<DocumentInfo>) =>
      render(
        <UploadField id="doc-birth_certificate" label="Acte de naissance" kind="birth_certificate" applicationId="app-now" accept={accept} maxBytes={MB} reusable={[doc('a')]} onReuse={onReuse} onUploaded={(d) => used.push(d.document_id)} onError={(text) => errors.push(text)} onBusy={(b) => busy.push(b)} />,
        root,
      );
    draw(async (d) => ({ ...d, document_id: 'copy' }));
    const block = root.querySelector('#doc-birth_certificate-reuse')!;
    expect(block.textContent).toContain('Ou utilisez un document déjà envoyé');
    expect(block.textContent).toContain('a.png');
    expect(block.querySelector('.govuk-hint')?.textContent).toBe('Envoyé le 3 février 2026, pour une autre demande');
    const button = block.querySelector('button')!;
    expect(button.textContent).toBe('Utiliser ce document a.png');
    button.click();
    await vi.waitFor(() => expect(used).toEqual(['copy']));
    // The page is told a document is being attached, and when it is done (its Continue waits).
    expect(busy).toEqual([true, false]);
    draw(async () => {
      throw new Error('409');
    });
    root.querySelector<HTMLButtonElement>('#doc-birth_certificate-reuse button')!.click();
    await vi.waitFor(() => expect(errors.at(-1)).toBe('Le document choisi ne peut pas être utilisé ici – envoyez plutôt un fichier'));
    render(null, root);
    root.remove();
  });
});


describe('photos made smaller before sending', () => {
  /** A stand-in for the canvas: a JPEG's size grows with its pixels and its quality. */
  const encoder = (width: number, height: number, drawn: [number, number, number][] = []): PhotoEncoder => ({
    open: async () => ({
      width,
      height,
      jpeg: async (w, h, quality) => {
        drawn.push([w, h, quality]);
        return new Blob([new Uint8Array(Math.round(w * h * quality * 0.6))], { type: 'image/jpeg' });
      },
      close: () => undefined,
    }),
  });
  const photo = (name: string, type: string, size: number) => new File([new Uint8Array(size)], name, { type });
  const accept = ['application/pdf', 'image/jpeg', 'image/png'];

  it('draws a large phone photo again as a JPEG within the limit, at most 2560 pixels long', async () => {
    const drawn: [number, number, number][] = [];
    const smaller = await shrinkPhoto(photo('IMG_2041.png', 'image/png', 9 * MB), 10 * MB, accept, encoder(4032, 3024, drawn));
    expect(smaller.type).toBe('image/jpeg');
    expect(smaller.name).toBe('IMG_2041.jpg');
    expect(smaller.size).toBeLessThanOrEqual(PHOTO_TARGET_BYTES);
    expect(Math.max(drawn[0][0], drawn[0][1])).toBe(2560);
  });

  it('keeps going smaller until it fits a small limit', async () => {
    const smaller = await shrinkPhoto(photo('id.jpg', 'image/jpeg', 3 * MB), 0.5 * MB, accept, encoder(4000, 3000));
    expect(smaller.size).toBeLessThanOrEqual(0.5 * MB);
  });

  it('sends a PDF, a small photo and one the browser cannot read as they are', async () => {
    const pdf = photo('payslip.pdf', 'application/pdf', 6 * MB);
    expect(await shrinkPhoto(pdf, 5 * MB, accept, encoder(1, 1))).toBe(pdf);
    const small = photo('id.jpg', 'image/jpeg', MB);
    expect(await shrinkPhoto(small, 5 * MB, accept, encoder(4000, 3000))).toBe(small);
    const heic = photo('id.heic', 'image/heic', 6 * MB);
    expect(await shrinkPhoto(heic, 5 * MB, [...accept, 'image/heic'], { open: () => Promise.reject(new Error('cannot decode')) })).toBe(heic);
  });

  it('uploads the smaller photo: what is declared and sent is the JPEG, not the original', async () => {
    useCatalogForTests('en', en);
    const declared: Record<string, unknown>[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit = {}) => {
        if (url === '/api/documents') {
          declared.push(JSON.parse(String(init.body)));
          return new Response(JSON.stringify({ error: { code: 'quota_exceeded', message: 'full' } }), { status: 409 });
        }
        return new Response('{}', { status: 200 });
      }),
    );
    const root = document.body.appendChild(document.createElement('div'));
    const errors: (string | undefined)[] = [];
    render(<UploadField id="f-photo" label="Photo" kind="id-card" accept={accept} maxBytes={5 * MB} encoder={encoder(4032, 3024)} onUploaded={() => undefined} onError={(text) => errors.push(text)} />, root);
    const input = root.querySelector<HTMLInputElement>('#f-photo')!;
    Object.defineProperty(input, 'files', { value: [photo('IMG_1.jpg', 'image/jpeg', 7 * MB)] });
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await vi.waitFor(() => expect(declared.length).toBe(1));
    expect(declared[0]).toMatchObject({ file_name: 'IMG_1.jpg', content_type: 'image/jpeg' });
    expect(declared[0].size).toBeLessThanOrEqual(PHOTO_TARGET_BYTES);
    expect(errors).not.toContain('The selected file must be smaller than 5 MB');
    render(null, root);
    root.remove();
    vi.unstubAllGlobals();
  });
});

describe('choosing a file', () => {
  it('is worded in the page’s language, not the browser’s, and says nothing of “no file” beside a file sent', () => {
    useCatalogForTests('ar', ar as Catalog);
    const root = document.body.appendChild(document.createElement('div'));
    const field = (current?: DocumentInfo) => (
      <UploadField id="doc-birth_certificate" label="شهادة الميلاد" kind="birth_certificate" accept={['image/png']} maxBytes={MB} current={current} onUploaded={() => undefined} onError={() => undefined} />
    );
    render(field(), root);
    const words = ar as Record<string, unknown>;
    expect(root.querySelector('input[type=file]#doc-birth_certificate')).not.toBeNull();
    expect(root.querySelector('.ssp-file__face')?.getAttribute('aria-hidden')).toBe('true');
    expect(root.querySelector('.ssp-file__button')?.textContent).toBe(words['documents.choose_file']);
    expect(root.querySelector('.ssp-file__none')?.textContent).toBe(words['documents.no_file_chosen']);
    render(field({ document_id: 'd1', kind: 'birth_certificate', file_name: 'birth-certificate.png', status: 'available' } as DocumentInfo), root);
    expect(root.querySelector('.ssp-file__button')?.textContent).toBe(words['documents.choose_another_file']);
    expect(root.querySelector('.ssp-file__none')).toBeNull();
    expect(root.textContent).toContain('birth-certificate.png');
    render(null, root);
    root.remove();
    useCatalogForTests('en', en as Catalog);
  });
});
