// The whole register of a corpus: obligations of every document plus the lineage graph, built in one call at ingest.
import type { DocMeta, Obligation, Section } from '../doc/types.ts';
import { extractObligations } from './extract.ts';
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
  const obligations = docs.flatMap((d) =>
    extractObligations({ docId: d.meta.id, docNumber: d.meta.number, text: d.text, sections: d.sections }),
  );
  const lineage = buildLineage(docs.map((d) => d.meta), new Map(docs.map((d) => [d.meta.id, d.text])));
  return { obligations, lineage };
}
