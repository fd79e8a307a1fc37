// Ingest progress: a bar redrawn in place on a terminal, throttled plain lines otherwise.
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/ingest/progress.ts';

describe('ingest progress', () => {
  it('on a terminal redraws one line with count, rate and ETA, and ends it with a newline', () => {
    let out = '';
    let t = 0;
    const p = createProgress({ isTTY: true, write: (s: string) => (out += s) }, () => {
      throw new Error('no log lines on a terminal');
    }, () => t);
    p.start('embed', 1000, 'chunks');
    t = 1000;
    p.tick(250);
    expect(out).toMatch(/\r\x1b\[2Kembed \[#{6}-{18}\] 250\/1,000 chunks · 250 chunks\/s · ETA 3\.0 s$/);
    t = 1100;
    p.tick(300); // within the redraw interval: not drawn
    expect(out).not.toContain('300/');
    t = 4000;
    p.tick(1000);
    p.end();
    expect(out.endsWith('\n')).toBe(true);
    expect(out).toContain('1,000/1,000 chunks');
  });

  it('without a terminal writes plain lines through the log, a few per phase', () => {
    const lines: string[] = [];
    let t = 0;
    const p = createProgress({ isTTY: false, write: () => {
      throw new Error('nothing drawn without a terminal');
    } }, (m) => lines.push(m), () => t);
    p.start('embed', 100, 'chunks');
    for (let i = 1; i <= 100; i++) {
      t += 100;
      p.tick(i);
    }
    p.end();
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.length).toBeLessThan(5);
    expect(lines.at(-1)).toMatch(/^embed 100\/100 chunks · 10 chunks\/s · 10 s$/);
    expect(lines.every((l) => !l.includes('\r') && !l.includes('['))).toBe(true);
  });
});
