// The whole register of a corpus: obligations of every document plus the lineage graph, built in one call at ingest.
import type { DocMeta, Obligation, Section } from '../doc/types.ts';
import { docType } from '../doc/doctypes.ts';
import { extractObligations } from './extract.ts';
import { extractLegalDuties } from './legal.ts';
import { buildLineage, type Lineage } from './lineage.ts';

export interface RegisterDoc {
  meta: DocMeta;
  text: string;
  sections: Section[];
}

/**
 * Extracts obligations from every document (document numbers from the registry, inferred ones included)
 * and builds the lineage between them.
 * @example const { obligations, lineage } = buildRegister(docs)
 */
export function buildRegister(docs: RegisterDoc[]): { obligations: Obligation[]; lineage: Lineage } {
  const obligations = docs.flatMap((d) => {
    const args = { docId: d.meta.id, docNumber: d.meta.number, text: d.text, sections: d.sections };
    // A law yields only the duties of state bodies; plans and other documents yield their tasks.
    return docType(d.meta.type)?.legal ? extractLegalDuties(args) : extractObligations(args);
  });
  const lineage = buildLineage(docs.map((d) => d.meta), new Map(docs.map((d) => [d.meta.id, d.text])));
  return { obligations, lineage };
}
