/**
 * A document question inside a form: the answer is the document's id. Besides uploading, the
 * person can use a document they uploaded before, for this application or another one.
 */
import { useEffect, useState } from 'preact/hooks';
import { reusableDocuments, reuseDocument, UploadField, type DocumentInfo } from '../../components/documents';
import type { Field } from '../../forms/model';
import type { DocumentSlotProps } from '../../forms/render';

export function FormDocument(
  props: DocumentSlotProps & { applicationId: string; documents: DocumentInfo[]; earlier: () => Promise<DocumentInfo[]>; onDocument?: (document: DocumentInfo) => void },
) {
  const field: Field = props.field;
  const [documents, setDocuments] = useState<DocumentInfo[]>(props.documents);
  const [earlier, setEarlier] = useState<DocumentInfo[]>([]);
  useEffect(() => {
    props.earlier().then(setEarlier);
  }, []);
  const current = documents.find((d) => d.document_id === props.value);
  const kind = field.documentKind ?? 'document';
  return (
    <UploadField
      id={props.id}
      label=""
      kind={kind}
      applicationId={props.applicationId}
      bare
      accept={field.accept}
      maxBytes={field.maxBytes}
      current={current}
      reusable={reusableDocuments([...documents, ...earlier], kind, field.accept, field.maxBytes, (d) => d.document_id === props.value)}
      onReuse={(document) => reuseDocument(document, props.applicationId)}
      error={undefined}
      describedBy={props.describedBy}
      onUploaded={(document) => {
        setDocuments((list) => [document, ...list.filter((d) => d.document_id !== document.document_id)]);
        props.onDocument?.(document);
        props.onChange(document.document_id);
        props.onError(undefined);
      }}
      onError={(text, code) => props.onError(text ? `documents.error.${code ?? 'failed'}` : undefined)}
    />
  );
}
