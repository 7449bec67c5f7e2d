/**
 * Document upload straight to S3 with the presigned POST the API hands out (never base64 in
 * JSON): a progress bar, automatic retries on a dropped connection, the GOV.UK file-upload error
 * texts, then the server's own check of what arrived (POST /documents/{id}/complete).
 */
import { useRef, useState } from 'preact/hooks';
import { api, ApiError, itemsOf } from '../api/client';
import { formatBytes, formatDate, t } from '../i18n';
import { ErrorMessage } from './govuk';

export interface DocumentInfo {
  document_id: string;
  kind: string;
  file_name: string;
  content_type?: string;
  size?: number;
  status: string;
  reason?: string | null;
  application_id?: string | null;
  sha256?: string | null;
  created_at?: string | null;
}

/** All the person's documents (newest first), for reuse: loaded once per page that offers it. */
export async function myDocuments(): Promise<DocumentInfo[]> {
  return itemsOf<DocumentInfo>(await api<unknown>('GET', '/documents', { query: { limit: 100 } }), 'documents');
}

/**
 * The person's checked documents that could answer for `kind` here: the same kind, a type and
 * size the rule accepts, not `except` (already in use); one per file (a copy made for another
 * application is the same file).
 */
export function reusableDocuments(all: DocumentInfo[], kind: string, accept: string[], maxBytes: number, except: (d: DocumentInfo) => boolean = () => false): DocumentInfo[] {
  const seen = new Set<string>();
  return all.filter((d) => {
    if (d.kind !== kind || d.status !== 'available' || except(d)) return false;
    if (d.content_type && !accept.includes(d.content_type)) return false;
    if (d.size !== undefined && d.size > maxBytes) return false;
    const same = d.sha256 ? `${d.sha256}/${d.file_name}` : d.document_id;
    if (seen.has(same)) return false;
    seen.add(same);
    return true;
  });
}

/**
 * Use an already-uploaded document for an application: one of its own as it is; one with no
 * application or another application's through the reuse route, which attaches it (or a copy).
 */
export async function reuseDocument(document: DocumentInfo, applicationId: string): Promise<DocumentInfo> {
  if (document.application_id === applicationId) return document;
  const answer = await api<{ document: DocumentInfo }>('POST', `/applications/${encodeURIComponent(applicationId)}/documents`, { body: { document_id: document.document_id } });
  return answer.document;
}

interface Declared {
  document: DocumentInfo;
  upload: { url: string; fields: Record<string, string> };
}

const EXTENSION_TYPES: Record<string, string> = { pdf: 'application/pdf', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png' };

export class UploadProblem extends Error {
  constructor(
    readonly code: 'wrong_type' | 'too_big' | 'empty' | 'failed' | 'rejected' | 'virus',
    readonly documentId?: string,
  ) {
    super(code);
  }
}

export function contentTypeOf(file: File): string {
  if (file.type) return file.type.toLowerCase();
  const extension = file.name.split('.').pop()?.toLowerCase() ?? '';
  return EXTENSION_TYPES[extension] ?? 'application/octet-stream';
}

/** Photos above this are made smaller before sending (a phone photo of a page stays legible at
 * 2560 pixels on its long side; 400 kbit/s sends 2 MB in 40 s, 8 MB in nearly 3 minutes). */
export const PHOTO_TARGET_BYTES = 2 * 1024 * 1024;
const PHOTO_LONG_SIDE = 2560;
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

/** Drawing a photo again, smaller: the browser's canvas (or, in tests, a stand-in). */
export interface PhotoEncoder {
  /** the photo's size in pixels, and a way to draw it at another size as a JPEG of some quality */
  open(file: File): Promise<{ width: number; height: number; jpeg(width: number, height: number, quality: number): Promise<Blob>; close(): void }>;
}

export const canvasEncoder: PhotoEncoder = {
  async open(file) {
    const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    return {
      width: bitmap.width,
      height: bitmap.height,
      jpeg: (width, height, quality) => {
        const canvas = document.createElement('canvas');
        canvas.width = width;
        canvas.height = height;
        const context = canvas.getContext('2d');
        if (!context) return Promise.reject(new Error('no canvas'));
        context.fillStyle = '#fff'; // a transparent PNG becomes white, not black
        context.fillRect(0, 0, width, height);
        context.drawImage(bitmap, 0, 0, width, height);
        return new Promise<Blob>((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('not encoded'))), 'image/jpeg', quality));
      },
      close: () => bitmap.close(),
    };
  },
};

/**
 * A photo made small enough to send: drawn again as a JPEG, at most 2560 pixels on its long side,
 * then at lower quality and size until it is within ``min(maxBytes, PHOTO_TARGET_BYTES)``. A PDF,
 * a photo already small enough, one that JPEG is not accepted for, or one the browser cannot
 * read (HEIC in most browsers) is returned as it is; the size check then decides.
 */
export async function shrinkPhoto(file: File, maxBytes: number, accept: string[], encoder: PhotoEncoder = canvasEncoder): Promise<File> {
  const target = Math.min(maxBytes, PHOTO_TARGET_BYTES);
  if (file.size <= target || !PHOTO_TYPES.includes(contentTypeOf(file)) || !accept.includes('image/jpeg')) return file;
  let photo;
  try {
    photo = await encoder.open(file);
  } catch {
    return file;
  }
  try {
    let scale = Math.min(1, PHOTO_LONG_SIDE / Math.max(photo.width, photo.height));
    for (const quality of [0.85, 0.75, 0.65, 0.65, 0.6, 0.6, 0.55]) {
      const width = Math.max(1, Math.round(photo.width * scale));
      const height = Math.max(1, Math.round(photo.height * scale));
      const blob = await photo.jpeg(width, height, quality);
      if (blob.size <= target) return new File([blob], `${file.name.replace(/\.[^.]+$/, '') || 'photo'}.jpg`, { type: 'image/jpeg', lastModified: file.lastModified });
      scale *= 0.75;
    }
    return file;
  } catch {
    return file;
  } finally {
    photo.close();
  }
}

/** The checks the browser can make before sending anything (GOV.UK's first three errors). */
export function checkFile(file: File, accept: string[], maxBytes: number): UploadProblem | undefined {
  if (file.size === 0) return new UploadProblem('empty');
  if (!accept.includes(contentTypeOf(file))) return new UploadProblem('wrong_type');
  if (file.size > maxBytes) return new UploadProblem('too_big');
  return undefined;
}

function postWithProgress(url: string, fields: Record<string, string>, file: File, onProgress: (fraction: number) => void): Promise<number> {
  return new Promise((resolve) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('file', file);
    const request = new XMLHttpRequest();
    request.open('POST', url);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => resolve(request.status);
    request.onerror = () => resolve(0);
    request.ontimeout = () => resolve(0);
    request.timeout = 120_000;
    request.send(form);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function uploadDocument(
  file: File,
  target: { kind: string; applicationId?: string },
  onProgress: (fraction: number, stage: 'uploading' | 'checking') => void,
): Promise<DocumentInfo> {
  let declared: Declared;
  try {
    declared = await api<Declared>('POST', '/documents', {
      body: { kind: target.kind, file_name: file.name, content_type: contentTypeOf(file), size: file.size, ...(target.applicationId ? { application_id: target.applicationId } : {}) },
    });
  } catch (error) {
    if (error instanceof ApiError && error.status === 413) throw new UploadProblem('too_big');
    if (error instanceof ApiError && error.status === 415) throw new UploadProblem('wrong_type');
    throw error;
  }
  const id = declared.document.document_id;
  // A dropped connection on a phone is common: try the upload again a few times, then let the
  // person retry by hand.
  let status = 0;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (attempt) await sleep(1000 * 2 ** attempt);
    status = await postWithProgress(declared.upload.url, declared.upload.fields, file, (f) => onProgress(f, 'uploading'));
    if (status >= 200 && status < 300) break;
    if (status >= 400 && status < 500) break;
  }
  if (status < 200 || status >= 300) throw new UploadProblem('failed', id);
  onProgress(1, 'checking');
  try {
    const done = await api<{ document: DocumentInfo }>('POST', `/documents/${encodeURIComponent(id)}/complete`);
    if (done.document.status === 'rejected') throw new UploadProblem(done.document.reason === 'infected' ? 'virus' : 'rejected', id);
    return done.document;
  } catch (error) {
    if (error instanceof UploadProblem) throw error;
    if (error instanceof ApiError) {
      const reason = String(error.details.reason ?? error.code);
      if (error.status === 415 || /type|content/.test(reason)) throw new UploadProblem('wrong_type', id);
      if (/empty/.test(reason)) throw new UploadProblem('empty', id);
      if (error.status === 413) throw new UploadProblem('too_big', id);
    }
    throw new UploadProblem('failed', id);
  }
}

export function uploadErrorText(code: string, maxBytes: number): string {
  return t(`documents.error.${code}`, { size: formatBytes(maxBytes) });
}

export interface UploadFieldProps {
  id: string;
  label: string;
  kind: string;
  applicationId?: string;
  accept: string[];
  maxBytes: number;
  current?: DocumentInfo;
  /** documents already uploaded that could be used here, and how to use one */
  reusable?: DocumentInfo[];
  onReuse?: (document: DocumentInfo) => Promise<DocumentInfo>;
  error?: string;
  describedBy?: string;
  onUploaded: (document: DocumentInfo) => void;
  /** told when an upload (or a reuse) starts and ends, so the page can wait before moving on */
  onBusy?: (busy: boolean) => void;
  /** tests: how photos are drawn smaller (the browser's canvas otherwise) */
  encoder?: PhotoEncoder;
  /** the error's text, and its code (`wrong_type`, `too_big`, ...) for a form question to word it */
  onError: (text: string | undefined, code?: string) => void;
  headingLevel?: 'label' | 'h2';
  /** inside a form question, which already has its label, hint and error message */
  bare?: boolean;
}

/** One file-upload question: choose, upload with progress, see the server's verdict. */
export function UploadField(props: UploadFieldProps) {
  const [progress, setProgress] = useState<{ fraction: number; stage: string; name: string }>();
  const [failedFile, setFailedFile] = useState<File>();
  const input = useRef<HTMLInputElement>(null);
  const refuse = (code: UploadProblem['code']) => {
    props.onError(uploadErrorText(code, props.maxBytes), code);
    if (input.current) input.current.value = '';
  };
  const start = async (chosen: File) => {
    const early = checkFile(chosen, props.accept, Number.MAX_SAFE_INTEGER);
    if (early) return refuse(early.code);
    props.onError(undefined);
    setFailedFile(undefined);
    props.onBusy?.(true);
    let file = chosen;
    if (chosen.size > Math.min(props.maxBytes, PHOTO_TARGET_BYTES)) {
      setProgress({ fraction: 0, stage: 'shrinking', name: chosen.name });
      file = await shrinkPhoto(chosen, props.maxBytes, props.accept, props.encoder);
    }
    const problem = checkFile(file, props.accept, props.maxBytes);
    if (problem) {
      setProgress(undefined);
      props.onBusy?.(false);
      return refuse(problem.code);
    }
    setProgress({ fraction: 0, stage: 'uploading', name: file.name });
    try {
      const document = await uploadDocument(file, { kind: props.kind, applicationId: props.applicationId }, (fraction, stage) => setProgress({ fraction, stage, name: file.name }));
      props.onUploaded(document);
    } catch (error) {
      if (error instanceof UploadProblem) {
        props.onError(uploadErrorText(error.code, props.maxBytes), error.code);
        if (error.code === 'failed') setFailedFile(file);
      } else props.onError(uploadErrorText('failed', props.maxBytes), 'failed');
    } finally {
      setProgress(undefined);
      props.onBusy?.(false);
      if (input.current) input.current.value = '';
    }
  };
  const [reusing, setReusing] = useState<string>();
  const reuse = async (document: DocumentInfo) => {
    setReusing(document.document_id);
    props.onError(undefined);
    props.onBusy?.(true);
    try {
      props.onUploaded(props.onReuse ? await props.onReuse(document) : document);
    } catch (error) {
      const code = error instanceof ApiError && error.status === 413 ? 'too_big' : error instanceof ApiError && error.status === 415 ? 'wrong_type' : 'reuse_failed';
      props.onError(uploadErrorText(code, props.maxBytes), code);
    } finally {
      setReusing(undefined);
      props.onBusy?.(false);
    }
  };
  const hintId = `${props.id}-size-hint`;
  const errorId = `${props.id}-error`;
  return (
    <div class={props.bare ? undefined : `govuk-form-group${props.error ? ' govuk-form-group--error' : ''}`}>
      {props.bare ? null : props.headingLevel === 'h2' ? (
        <h2 class="govuk-label-wrapper">
          <label class="govuk-label govuk-label--m" for={props.id}>
            {props.label}
          </label>
        </h2>
      ) : (
        <label class="govuk-label govuk-label--m" for={props.id}>
          {props.label}
        </label>
      )}
      <div class="govuk-hint" id={hintId}>
        {t('documents.hint', { size: formatBytes(props.maxBytes) })}
      </div>
      {!props.bare && <ErrorMessage id={errorId} text={props.error} />}
      {props.current && (
        <p class="govuk-body ssp-tag-above" role="status">
          <strong class={`govuk-tag ${props.current.status === 'available' ? 'govuk-tag--green' : 'govuk-tag--yellow'}`}>
            {props.current.status === 'available' ? t('documents.verified') : t('documents.checking')}
          </strong>{' '}
          <span class="ssp-ltr">{props.current.file_name}</span>
        </p>
      )}
      {/* The browser's own "Choose File / No file chosen" speaks the browser's language, not the
          page's, and said "No file chosen" beside a file just sent: the input stays (focus, keyboard,
          screen readers), transparent over words of our own. */}
      <div class="ssp-file">
        <input
          ref={input}
          class={`govuk-file-upload ssp-file__input${props.error ? ' govuk-file-upload--error' : ''}`}
          id={props.id}
          name={props.kind}
          type="file"
          accept={props.accept.join(',')}
          aria-describedby={[hintId, props.error && !props.bare ? errorId : '', props.describedBy ?? ''].filter(Boolean).join(' ')}
          disabled={Boolean(progress)}
          onChange={(e) => {
            const file = (e.currentTarget as HTMLInputElement).files?.[0];
            if (file) void start(file);
          }}
        />
        <span class="ssp-file__face" aria-hidden="true">
          <span class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0 ssp-file__button">{props.current ? t('documents.choose_another_file') : t('documents.choose_file')}</span>
          {!props.current && <span class="ssp-file__none">{t('documents.no_file_chosen')}</span>}
        </span>
      </div>
      {progress && (
        <div role="status" aria-live="polite">
          <p class="govuk-body govuk-!-margin-top-2 govuk-!-margin-bottom-1">
            {progress.stage === 'checking' ? t('documents.checking') : progress.stage === 'shrinking' ? t('documents.shrinking') : t('documents.uploading', { name: progress.name })}
          </p>
          <progress class="ssp-progress" max={1} value={progress.fraction} aria-label={t('documents.progress')} />
        </div>
      )}
      {failedFile && !progress && (
        <p class="govuk-body">
          <button type="button" class="govuk-button govuk-button--secondary" onClick={() => void start(failedFile)}>
            {t('common.retry')}
          </button>
        </p>
      )}
      {props.reusable && props.reusable.length > 0 && !props.current && !progress && (
        <div class="govuk-!-margin-top-4 ssp-reuse" id={`${props.id}-reuse`}>
          <p class="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-2">{t('documents.reuse')}</p>
          <ul class="govuk-list ssp-reuse__list">
            {props.reusable.map((d) => (
              <li key={d.document_id} class="ssp-reuse__item">
                <p class="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">
                  <span class="ssp-ltr">{d.file_name}</span>
                </p>
                <p class="govuk-hint govuk-!-margin-bottom-2">
                  {[d.created_at ? t('documents.reuse_uploaded_on', { date: formatDate(d.created_at) }) : '', d.application_id && d.application_id !== props.applicationId ? t('documents.reuse_other_application') : '']
                    .filter(Boolean)
                    .join(', ')}
                </p>
                <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" disabled={Boolean(reusing)} onClick={() => void reuse(d)}>
                  {t('documents.reuse_use')}
                  <span class="govuk-visually-hidden"> {d.file_name}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
