/**
 * An application as its screens show it: loaded with its form, its programme's document rules
 * and statements, and its documents. Forms and programmes are read once per page load.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, itemsOf } from '../../api/client';
import type { DocumentInfo } from '../../components/documents';
import { buildModel, type Answers, type FormModel } from '../../forms/model';
import { localized } from '../../i18n';

export interface TimelineEntry {
  from: string | null;
  to: string;
  at: string;
  by?: { role: string; ref?: string };
  reason?: string | null;
  /** the programme's statements agreed to with this submission */
  consents?: string[];
}

export interface Application {
  application_id: string;
  program_id: string;
  program_name?: unknown;
  form_id: string;
  form_version: number;
  status: string;
  reference?: string | null;
  answers: Answers;
  read_only?: string[];
  timeline?: TimelineEntry[];
  editable?: boolean;
  submitted_at?: string | null;
  version?: number;
  /** `assisted` when an officer made or sent it with the person */
  channel?: string;
  /** the programme's statements agreed to with its submission(s) */
  consents?: { id: string }[];
  /** each member of a repeating group, named, with the documents given for them */
  members?: { group: string; index: number; label?: string | null; documents: { field: string; document_id: string }[] }[];
}

export interface DocumentRule {
  kind: string;
  label: unknown;
  required?: boolean;
  content_types?: string[];
  max_bytes?: number;
}

/** A statement the programme asks the person to agree to before sending (check your answers). */
export interface ConsentStatement {
  id: string;
  text: unknown;
  required?: boolean;
}

interface ProgramInfo {
  documents?: DocumentRule[];
  consents?: ConsentStatement[];
}

export interface Loaded {
  application: Application;
  model: FormModel;
  rules: DocumentRule[];
  documents: DocumentInfo[];
  consents: ConsentStatement[];
}

const forms = new Map<string, Promise<{ schema: Record<string, unknown>; ui_schema: Record<string, unknown> }>>();
const programs = new Map<string, Promise<ProgramInfo>>();

function formOf(application: Application) {
  const key = `${application.form_id}/${application.form_version}`;
  if (!forms.has(key)) {
    const loading = api<{ schema: Record<string, unknown>; ui_schema: Record<string, unknown> }>('GET', `/forms/${encodeURIComponent(application.form_id)}/versions/${application.form_version}`);
    loading.catch(() => forms.delete(key));
    forms.set(key, loading);
  }
  return forms.get(key)!;
}

function programOf(programId: string) {
  if (!programs.has(programId)) {
    const loading = api<ProgramInfo>('GET', `/programs/${encodeURIComponent(programId)}`);
    loading.catch(() => programs.delete(programId));
    programs.set(programId, loading);
  }
  return programs.get(programId)!;
}

/** Read the programme again on the next load: its statements changed meanwhile. */
export function forgetProgram(programId: string): void {
  programs.delete(programId);
}

// The application last loaded or saved: the pages of a repeating group (the list, each member,
// removing one) reuse it, so moving between members reads nothing (a save answers the new state).
let recent: Loaded | undefined;

/** The application in hand when it is this one (a group's pages reuse it). */
export function inHand(id: string): Loaded | undefined {
  return recent?.application.application_id === id ? recent : undefined;
}

/** The application with its form, rules and documents; ``reuse``: the one in hand if it is this one. */
export function useApplication(id: string, { reuse = false }: { reuse?: boolean } = {}) {
  const [state, setState] = useState<{ loaded?: Loaded; error?: unknown; loading: boolean }>(() =>
    reuse && recent?.application.application_id === id ? { loading: false, loaded: recent } : { loading: true },
  );
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (tick === 0 && state.loaded) return;
    let live = true;
    (async () => {
      const application = await api<Application>('GET', `/applications/${encodeURIComponent(id)}`);
      const [form, program, documents] = await Promise.all([
        formOf(application),
        programOf(application.program_id).catch((): ProgramInfo => ({ documents: [], consents: [] })),
        api<unknown>('GET', '/documents', { query: { application_id: id } }).then((d) => itemsOf<DocumentInfo>(d, 'documents')),
      ]);
      const model = buildModel(form.schema, form.ui_schema);
      recent = { application, model, rules: program.documents ?? [], documents, consents: program.consents ?? [] };
      if (live) setState({ loading: false, loaded: recent });
    })().catch((error) => live && setState({ loading: false, error }));
    return () => {
      live = false;
    };
  }, [id, tick]);
  return {
    ...state,
    reload: () => setTick((n) => n + 1),
    update: (loaded: Loaded) => {
      recent = loaded;
      setState({ loading: false, loaded });
    },
  };
}

export function programName(application: Application): string {
  return localized(application.program_name) || application.program_id;
}
