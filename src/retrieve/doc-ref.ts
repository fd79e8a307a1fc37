// A document reference read from a question: the documents it names or implies, and how (shared by the readers
// of numbers, names, places and issuers in query.ts and of English law names in english-laws.ts).

export interface DocRef {
  /** Number as the user wrote it, e.g. `42`, `1240`, `68/NQ-CP`. */
  raw: string;
  /** Documents that ARE the reference. */
  docIds: string[];
  /** Documents that implement it (directly or transitively). */
  implementerIds: string[];
  /** Numbers in the corpus that the reference could mean (`42-NQ/TW`, `42-KL/TU`). */
  candidates: string[];
  ambiguous: boolean;
  /** The candidate chosen when ambiguous (resolutions are preferred). */
  chosen: string | null;
  /**
   * How the question named the documents, when not by number or name: by their issuer and type, or by the province
   * or city they belong to (the documents are then in `implementerIds`).
   */
  via?: 'issuer' | 'place';
}
