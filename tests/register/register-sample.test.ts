// Blind labelled sample (tests/eval/register-sample.jsonl, written from the documents only): lead-unit precision/recall and deadline accuracy.
//
// Matching rule (stated here because it decides the figures):
// - Scope: the sample's first line lists, per document, the sections its author covered exhaustively; only
//   extracted records whose section is one of them or lies under one (`Điều 74` covers `Điều 74.1`) are scored,
//   and only documents present in tests/fixtures/laws or corpus/ are loaded.
// - A label and an extracted record match when they are in the same document and covered section and one's
//   evidence contains the other's after normalisation (NFC, case, tone-mark placement, dashes, whitespace).
//   Each record matches at most one label (greedy, longest overlap first).
// - A lead name agrees with another when their normalised forms are equal, one contains the other, or both
//   denote the same unit — gazetteer names, and names as the document writes them (`Văn phòng Sở`) resolved
//   against the document's own issuer, as the register resolves them. Precision = agreeing extracted names / all extracted names in scope (records
//   matching no label count fully against precision); recall = agreeing labelled names / all labelled names.
// - Deadline accuracy: over matched pairs where either side has a deadline, the share where both have one and
//   one raw text contains the other after normalisation.
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Obligation } from '../../src/doc/types.ts';
import { extractMetadata, inferIdentities } from '../../src/ingest/metadata.ts';
import { parseOutline } from '../../src/ingest/outline.ts';
import { buildRegister, detectHome, findUnit, resolveUnitName, type Home, type RegisterDoc } from '../../src/register/index.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BAR = { leadP: 0.85, leadR: 0.8, deadline: 0.6 };

interface Label { doc: string; section: string; evidence: string; lead: string[]; deadline: string | null; kind: string }
const lines = readFileSync(resolve(ROOT, 'tests/eval/register-sample.jsonl'), 'utf8').split('\n').filter((l) => l.trim());
const covered = (JSON.parse(lines[0]!) as { covered: Array<{ doc: string; sections: string[] }> }).covered;
const labels = lines.slice(1).map((l) => JSON.parse(l) as Label);

const TONES: Record<string, string> = { oà: 'òa', oá: 'óa', oả: 'ỏa', oã: 'õa', oạ: 'ọa', oè: 'òe', oé: 'óe', oẻ: 'ỏe', oẽ: 'õe', oẹ: 'ọe', uỳ: 'ùy', uý: 'úy', uỷ: 'ủy', uỹ: 'ũy', uỵ: 'ụy' };
function norm(s: string): string {
  return s.normalize('NFC').toLowerCase().replace(/o[àáảãạèéẻẽẹ]|u[ỳýỷỹỵ]/gu, (m) => TONES[m] ?? m)
    .replace(/[\u2010-\u2015\u2212]/g, '-').replace(/\s+/g, ' ').replace(/[.;,:\s]+$/u, '').trim();
}

function loadDocs(): RegisterDoc[] {
  const files = [
    ...readdirSync(resolve(ROOT, 'tests/fixtures/laws')).map((f) => `tests/fixtures/laws/${f}`),
    ...readdirSync(resolve(ROOT, 'corpus')).map((f) => `corpus/${f}`),
  ].filter((f) => f.endsWith('.txt'));
  const docs = files.map((f) => {
    const text = readFileSync(resolve(ROOT, f), 'utf8');
    const sections = parseOutline(text);
    return { meta: extractMetadata({ id: f.replace(/^.*\/|\.txt$/g, ''), file: f, text, sections }), text, sections };
  });
  inferIdentities(docs);
  return docs;
}

function coverOf(doc: string, section: string): string | null {
  const c = covered.find((x) => x.doc === doc);
  return c?.sections.find((s) => section === s || section.startsWith(`${s}.`) || section.startsWith(`${s}/`)) ?? null;
}

function sameUnit(a: string, b: string, home: Home): boolean {
  const x = norm(a).replace(/^các\s+/u, ''), y = norm(b).replace(/^các\s+/u, '');
  if (x === y || x.includes(y) || y.includes(x)) return true;
  // A name as the document writes it (`các phòng, đơn vị trực thuộc Sở`) means a unit of the document's own issuer.
  const ua = resolveUnitName(a, home) ?? findUnit(a), ub = resolveUnitName(b, home) ?? findUnit(b);
  return !!ua && !!ub && ua.id === ub.id;
}

describe('blind register sample', () => {
  const docs = loadDocs();
  const ids = new Set(docs.map((d) => d.meta.id));
  const { obligations } = buildRegister(docs);
  const scoped = labels.filter((l) => ids.has(l.doc));
  const homes = new Map(docs.map((d) => [d.meta.id, detectHome(d.text, d.sections)]));
  const extracted = obligations.filter((o) => coverOf(o.docId, o.section));

  it('scores lead units and deadlines against the labels', () => {
    expect(scoped.length).toBeGreaterThan(100);
    const pairs = new Map<Label, Obligation>();
    const used = new Set<Obligation>();
    for (const l of scoped) {
      const cover = coverOf(l.doc, l.section);
      const ev = norm(l.evidence);
      let best: { o: Obligation; len: number } | null = null;
      for (const o of extracted) {
        if (used.has(o) || o.docId !== l.doc || coverOf(o.docId, o.section) !== cover) continue;
        const oe = norm(o.evidence);
        if (!(oe.includes(ev) || ev.includes(oe))) continue;
        const len = Math.min(oe.length, ev.length);
        if (!best || len > best.len) best = { o, len };
      }
      if (best) { pairs.set(l, best.o); used.add(best.o); }
    }
    let pTp = 0, pAll = 0, rTp = 0, rAll = 0, dOk = 0, dAll = 0;
    const misses: string[] = [];
    for (const o of extracted) pAll += o.lead.length;
    for (const l of scoped) {
      rAll += l.lead.length;
      const o = pairs.get(l);
      if (!o) { misses.push(`unmatched ${l.doc} §${l.section}: ${l.evidence.slice(0, 60)}`); continue; }
      rTp += l.lead.filter((a) => o.lead.some((b) => sameUnit(a, b, homes.get(l.doc)!))).length;
      if (!l.lead.every((a) => o.lead.some((b) => sameUnit(a, b, homes.get(l.doc)!)))) misses.push(`lead ${l.doc} §${l.section}: want ${l.lead.join(' | ')} got ${o.lead.join(' | ')}`);
      pTp += o.lead.filter((b) => l.lead.some((a) => sameUnit(a, b, homes.get(l.doc)!))).length;
      if (l.deadline || o.deadline) {
        dAll++;
        const a = norm(l.deadline ?? ''), b = norm(o.deadline?.raw ?? '');
        if (a && b && (a.includes(b) || b.includes(a))) dOk++;
        else misses.push(`deadline ${l.doc} §${l.section}: want ${l.deadline} got ${o.deadline?.raw ?? null}`);
      }
    }
    const m = { labels: scoped.length, extracted: extracted.length, matched: pairs.size, leadP: pTp / pAll, leadR: rTp / rAll, deadlineAccuracy: dAll ? dOk / dAll : 1, deadlinePairs: dAll };
    console.log('register sample', JSON.stringify(m), process.env.VERBOSE ? `\n  ${misses.join('\n  ')}` : '');
    expect(m.leadP).toBeGreaterThanOrEqual(BAR.leadP);
    expect(m.leadR).toBeGreaterThanOrEqual(BAR.leadR);
    expect(m.deadlineAccuracy).toBeGreaterThanOrEqual(BAR.deadline);
  });
});
