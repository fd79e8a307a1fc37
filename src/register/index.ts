// Public surface of the task register (extraction, gazetteer, lineage, filters, exports).
export { detectHome, extractObligations, resolveUnitName, type ExtractArgs, type Home } from './extract.ts';
export { parseDeadline, parseDeadlineCell, type Deadline } from './deadline.ts';
export {
  loadUnits, matchUnits, findUnit, findUnits, englishName, unitKey, gazetteer, DEFAULT_UNITS_FILE,
  type Unit, type UnitLevel, type UnitMatch,
} from './units.ts';
export {
  buildLineage, resolveDocRef, implementersOf, implementedThrough,
  type Lineage, type LineageEdge, type DocRefResolution,
} from './lineage.ts';
export {
  filterObligations, toCsv, toIcs, OBLIGATION_KINDS, CSV_COLUMNS, CSV_LIST_SEPARATOR,
  type FilterContext, type IcsOptions,
} from './filter.ts';
export { buildRegister, type RegisterDoc } from './register.ts';
export { extractLegalDuties, isStateBodyName } from './legal.ts';
export { hasKindCue, kindLabel, kindLabels, kindsInQuestion, stateBodyHeads, type KindLabel } from './kinds.ts';
