// Labelled-set evaluation: precision/recall of lead unit, deadline and recipient against labels written by reading the documents.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Obligation } from '../../src/doc/types.ts';
import { findUnit, matchUnits, unitKey } from '../../src/register/index.ts';
import { loadCorpusRegister } from './corpus.ts';

interface Label {
  doc: string;
  section: string;
  lead: string[];
  deadline: Obligation['deadline'];
  recipient: string | null;
  evidence: string;
}
const file = JSON.parse(readFileSync(resolve(import.meta.dirname, 'labels.json'), 'utf8')) as {
  scope: Array<{ doc: string; parts: string[] }>;
  labels: Label[];
};

/** Bars from the task-register issue. */
const BAR = { leadP: 0.9, leadR: 0.85, deadlineP: 0.9, deadlineR: 0.85, recipientP: 0.85 };

/** One unit name → comparable key: gazetteer id when known, else the normalised words without leading articles. */
function unitId(name: string): string {
  return findUnit(name)?.id ?? unitKey(name).replace(/^(?:các đồng chí|các)\s+/u, '');
}
/** A recipient string (several units joined by commas) → sorted unit keys. */
function recipientKey(r: string): string {
  const ms = matchUnits(r);
  return (ms.length ? ms.map((m) => m.unit.id) : [unitId(r)]).sort().join('|');
}
function deadlineKey(d: Obligation['deadline']): string {
  return d ? [d.type, d.start ?? '', d.end ?? '', d.month ?? '', d.day ?? ''].join('|') : '';
}
function inScope(doc: string, section: string): boolean {
  const s = file.scope.find((x) => x.doc === doc);
  return !!s && s.parts.some((p) => section === p || section.startsWith(`${p}.`) || section.startsWith(`${p}/`));
}

describe('labelled set', () => {
  const { obligations, docs } = loadCorpusRegister();
  const textOf = new Map(docs.map((d) => [d.meta.id, d.text]));
  const sectionsOf = new Map(docs.map((d) => [d.meta.id, d.sections]));

  it('every label quotes its document verbatim, inside the labelled section', () => {
    for (const l of file.labels) {
      const text = textOf.get(l.doc);
      expect(text, l.doc).toBeDefined();
      const sec = sectionsOf.get(l.doc)!.find((s) => s.path === l.section);
      expect(sec, `${l.doc} §${l.section}`).toBeDefined();
      const at = text!.indexOf(l.evidence, sec!.start);
      expect(at >= sec!.start && at + l.evidence.length <= sec!.end, `${l.doc} §${l.section}: ${l.evidence}`).toBe(true);
    }
  });

  it('reaches the precision/recall bar for lead unit, deadline and recipient', () => {
    const extracted = obligations.filter((o) => inScope(o.docId, o.section));
    // Match each label to the extracted record of the same section whose evidence contains the label's quote.
    const pairs = new Map<Label, Obligation>();
    const used = new Set<Obligation>();
    for (const l of file.labels) {
      const text = textOf.get(l.doc)!;
      const sec = sectionsOf.get(l.doc)!.find((s) => s.path === l.section)!;
      const ls = text.indexOf(l.evidence, sec.start);
      const le = ls + l.evidence.length;
      let best: { o: Obligation; overlap: number } | null = null;
      for (const o of extracted) {
        if (o.docId !== l.doc || o.section !== l.section || used.has(o)) continue;
        const os = text.indexOf(o.evidence, sec.start);
        const overlap = Math.min(le, os + o.evidence.length) - Math.max(ls, os);
        if (overlap > 0 && (!best || overlap > best.overlap)) best = { o, overlap };
      }
      if (best) {
        pairs.set(l, best.o);
        used.add(best.o);
      }
    }
    let leadTp = 0, leadExtracted = 0, leadGold = 0;
    let dlTp = 0, dlExtracted = 0, dlGold = 0;
    let rcTp = 0, rcExtracted = 0, rcGold = 0;
    const misses: string[] = [];
    for (const o of extracted) {
      leadExtracted += new Set(o.lead.map(unitId)).size;
      if (o.deadline) dlExtracted++;
      if (o.recipient) rcExtracted++;
    }
    for (const l of file.labels) {
      const gold = new Set(l.lead.map(unitId));
      leadGold += gold.size;
      if (l.deadline) dlGold++;
      if (l.recipient) rcGold++;
      const o = pairs.get(l);
      if (!o) {
        misses.push(`unmatched ${l.doc} §${l.section}: ${l.evidence.slice(0, 50)}`);
        continue;
      }
      const got = new Set(o.lead.map(unitId));
      for (const g of gold) if (got.has(g)) leadTp++;
      if (l.deadline && o.deadline && deadlineKey(l.deadline) === deadlineKey(o.deadline)) dlTp++;
      else if (l.deadline || o.deadline) misses.push(`deadline ${l.doc} §${l.section}: want ${deadlineKey(l.deadline)} got ${deadlineKey(o.deadline)}`);
      if (l.recipient && o.recipient && recipientKey(l.recipient) === recipientKey(o.recipient)) rcTp++;
      else if (l.recipient || o.recipient) misses.push(`recipient ${l.doc} §${l.section}: want ${l.recipient} got ${o.recipient}`);
    }
    const m = {
      labels: file.labels.length, extracted: extracted.length, matched: pairs.size,
      leadP: leadTp / leadExtracted, leadR: leadTp / leadGold,
      deadlineP: dlTp / dlExtracted, deadlineR: dlTp / dlGold,
      recipientP: rcTp / rcExtracted, recipientR: rcTp / rcGold,
    };
    console.log('register labelled-set metrics', JSON.stringify(m), misses.length ? `\n  ${misses.join('\n  ')}` : '');
    expect(m.leadP).toBeGreaterThanOrEqual(BAR.leadP);
    expect(m.leadR).toBeGreaterThanOrEqual(BAR.leadR);
    expect(m.deadlineP).toBeGreaterThanOrEqual(BAR.deadlineP);
    expect(m.deadlineR).toBeGreaterThanOrEqual(BAR.deadlineR);
    expect(m.recipientP).toBeGreaterThanOrEqual(BAR.recipientP);
  });
});
