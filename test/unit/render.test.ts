import { describe, expect, it } from 'vitest';
import { analyseRun } from '../../src/analysis/analyse-run.js';
import { buildReport } from '../../src/report/build-report.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import { renderTerminal } from '../../src/report/render-terminal.js';
import { describeFinding, describeFindings } from '../../src/report/wording.js';
import { killedTrace, params, survivingTrace } from '../helpers/synthetic-run.js';

const report = buildReport(params(), analyseRun(params(), new Map([['tick-count', killedTrace()], ['wall-clock', survivingTrace()]])));

describe('report', () => {
  it('has the versioned top-level fields CI jobs read', () => {
    expect(report).toMatchObject({ schemaVersion: 3, scenario: 'synthetic', timeScale: 1, verdict: 'as-expected' });
    expect(report.strategies.map((s) => [s.name, s.kills, s.firstKillMs, s.maxHeartbeatGapMs])).toEqual([
      ['tick-count', 1, 30_650, 30_600],
      ['wall-clock', 0, null, 15_200],
    ]);
  });

  it('shows what an interrupted run saw without calling it the outcome', () => {
    const cutShort = params({ interrupted: true, finishedAt: null });
    const stoppedAt40s = (events: ReturnType<typeof killedTrace>): ReturnType<typeof killedTrace> => events.filter((e) => e.t <= 40_000 || e.type === 'master-stop' || e.type === 'load-end').map((e) => (e.type === 'load-end' || e.type === 'master-stop' ? { ...e, t: 40_000 } : e));
    const interrupted = buildReport(cutShort, analyseRun(cutShort, new Map([['tick-count', stoppedAt40s(killedTrace())], ['wall-clock', stoppedAt40s(survivingTrace())]])));
    const terminal = renderTerminal(interrupted, { colorLevel: 0 });
    expect(interrupted.strategies[0]?.outcome).toBe('inconclusive');
    expect(terminal).toContain('inconclusive (KILLED 1× before it stopped)');
    expect(terminal).toContain('30.6 s (seen before it stopped)');
  });

  it('never speaks of a "0 s timeout": timeout 0 turns the check off', () => {
    const text = describeFinding({ kind: 'ticks-kept-up', ticksNeeded: 0, slowestCountMs: 100, timeoutMs: 0 });
    expect(text).toContain('timeout check is off');
    expect(text).not.toContain('0 s timeout');
  });

  it('adds up the requests and explains its rows', () => {
    const terminal = renderTerminal(report, { colorLevel: 0 });
    expect(terminal).toMatch(/requests sent/);
    expect(terminal).toMatch(/cut at end/);
    // tick-count's only gap is the open one its kill ended: said as such, not "—" beside a max gap.
    expect(terminal).toContain('none between two (30.6 s without one)');
  });

  it('says the same thing in the terminal and in Markdown', () => {
    const terminal = renderTerminal(report, { colorLevel: 0 });
    const markdown = renderMarkdown(report);
    for (const why of report.strategies.flatMap((s) => describeFindings(s.findings))) {
      expect(terminal).toContain(why);
      expect(markdown).toContain(why);
    }
    expect(terminal).toContain('KILLED 1×');
    expect(markdown).toContain('| outcome | KILLED 1× | survived |');
  });

  it('prints no escape codes at colour level 0 and some at level 1', () => {
    expect(renderTerminal(report, { colorLevel: 0 })).not.toContain('\u001b[');
    expect(renderTerminal(report, { colorLevel: 1 })).toContain('\u001b[');
  });

  it('escapes table-breaking text from a scenario in Markdown', () => {
    const odd = buildReport(params({}, { name: 'a|b <script>' }), analyseRun(params(), new Map()));
    expect(renderMarkdown(odd)).toContain('a\\|b &lt;script>');
  });
});

describe('the headline of a scenario that expects nothing (what init --from writes)', () => {
  it('does not claim every strategy did what was expected: it says nothing was expected', () => {
    const noExpectations = params({}, { expect: {} });
    const run = analyseRun(noExpectations, new Map([['tick-count', killedTrace()], ['wall-clock', survivingTrace()]]));
    const text = renderTerminal(buildReport(noExpectations, run), { colorLevel: 0 });
    expect(text).toMatch(/The scenario states no expectation, so there was nothing to miss/);
    expect(text).not.toMatch(/every strategy did what the scenario expects/);
    expect(renderTerminal(report, { colorLevel: 0 })).toMatch(/every strategy did what the scenario expects/);
  });
});
