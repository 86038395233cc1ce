// cpu-burst at compressed time, through the real CLI: real master, workers, signals and autocannon.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/build-report.js';
import { eventsOfType, type TraceEvent } from '../../src/trace/events.js';
import { decodeTrace } from '../../src/trace/decode-trace.js';
import { pathToFileURL } from 'node:url';
import { ARTIFACTS, browserAvailable, chartLayout, overlappingLabels, visitFile } from '../helpers/browser.js';
import { reportSchemaErrors } from '../helpers/report-schema-validator.js';
import { isAlive, runCli, type CliResult } from '../helpers/run-cli.js';

const TIME_SCALE = '0.1';
let out: string;
let result: CliResult;
let runDir: string;
let report: Report;
const traces = new Map<string, TraceEvent[]>();

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'starve-lab-test-'));
  result = await runCli(['run', 'cpu-burst', '--time-scale', TIME_SCALE, '--out', out]);
  const dirs = readdirSync(join(out, 'cpu-burst'));
  runDir = join(out, 'cpu-burst', dirs[0] ?? 'missing');
  report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as Report;
  for (const strategy of ['tick-count', 'wall-clock']) {
    const parsed = decodeTrace(readFileSync(join(runDir, strategy, 'trace.jsonl'), 'utf8'));
    expect(parsed.problems).toEqual([]);
    traces.set(strategy, parsed.events);
  }
});

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('starve-lab run cpu-burst (compressed time)', () => {
  it('prints one plain line per kill when not on a terminal, no control characters', () => {
    expect(result.stderr).toMatch(/tick-count\s+WORKER TIMEOUT \(pid:\d+\): heartbeat [\d.]+ s old, SIGABRT/);
    expect(result.stderr).not.toContain('\u001b');
  });

  it('says its time base once, and counts progress lines from the first boot, as the table does', () => {
    expect(result.stderr).toContain("times count from each strategy's first worker boot, in scenario time, here and in the report");
    const line = /t\+([\d.]+) s\s+tick-count\s+WORKER TIMEOUT/.exec(result.stderr);
    expect(line).not.toBeNull();
    const firstKillS = (report.strategies[0]?.firstKillMs ?? Number.NaN) / 1000;
    expect(Math.abs(Number(line?.[1]) - firstKillS)).toBeLessThanOrEqual(0.1);
  });

  it('completes with exit 0 and prints the verdict and the run directory', () => {
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('AS EXPECTED');
    expect(result.stdout).toContain(runDir);
    expect(readdirSync(runDir).sort()).toEqual(['params.json', 'report.html', 'report.json', 'report.md', 'tick-count', 'wall-clock']);
  });

  it('reproduces uvicorn #360: tick-count is killed, wall-clock is not', () => {
    const [tickCount, wallClock] = report.strategies;
    expect(report.verdict).toBe('as-expected');
    expect(tickCount?.name).toBe('tick-count');
    expect(tickCount?.kills).toBeGreaterThanOrEqual(1);
    expect(tickCount?.outcome).toBe('killed');
    expect(wallClock?.name).toBe('wall-clock');
    expect(wallClock?.kills).toBe(0);
    expect(wallClock?.outcome).toBe('survived');
    expect(reportSchemaErrors(report)).toEqual([]);
  });

  it('kills the way gunicorn does: WORKER TIMEOUT, SIGABRT, death by signal 6, a replacement', () => {
    const events = traces.get('tick-count') ?? [];
    const timeouts = eventsOfType(events, 'worker-timeout');
    expect(timeouts.length).toBeGreaterThanOrEqual(1);
    for (const timeout of timeouts) {
      expect(eventsOfType(events, 'signal').find((s) => s.pid === timeout.pid)?.signal).toBe('SIGABRT');
      expect(eventsOfType(events, 'worker-exit').find((e) => e.pid === timeout.pid)?.signal).toBe('SIGABRT');
    }
    expect(eventsOfType(events, 'worker-spawn').length).toBe(timeouts.length + 1);
    expect(readFileSync(join(runDir, 'tick-count', 'master.log'), 'utf8')).toContain(`WORKER TIMEOUT (pid:${timeouts[0]?.pid})`);
  });

  it("keeps a killed worker's trace complete up to its kill", () => {
    const events = traces.get('tick-count') ?? [];
    const outcomes = eventsOfType(events, 'request-outcome');
    for (const timeout of eventsOfType(events, 'worker-timeout')) {
      const own = events.filter((e) => 'pid' in e && e.pid === timeout.pid);
      // Every tick the worker ran is there, in order, with none missing.
      const counters = eventsOfType(own, 'tick').map((tick) => tick.counter);
      expect(counters).toEqual(counters.map((_, i) => i));
      // Every notify it made was seen by the master as a heartbeat, and it kept ticking after the last one.
      const notifies = eventsOfType(own, 'notify');
      expect(eventsOfType(own, 'heartbeat').length).toBe(notifies.length);
      expect(counters.length).toBeGreaterThan(1);
      // A request the load saw dropped at the kill was running on this worker and never ended there, or
      // had not started anywhere yet (it reached the worker as the kill landed, as it can on the real stack).
      const exit = eventsOfType(own, 'worker-exit')[0];
      const started = new Set(eventsOfType(own, 'request-start').map((r) => r.id));
      const startedAnywhere = new Set(eventsOfType(events, 'request-start').map((r) => r.id));
      const ended = new Set(eventsOfType(own, 'request-end').map((r) => r.id));
      const dropped = outcomes.filter((o) => o.outcome === 'reset' && exit !== undefined && Math.abs(o.t - exit.t) < 1000);
      for (const drop of dropped) {
        expect(started.has(drop.id) || !startedAnywhere.has(drop.id)).toBe(true);
        expect(ended.has(drop.id)).toBe(false);
      }
    }
  });

  it('accounts for every request the load sent', () => {
    for (const strategy of report.strategies) {
      const r = strategy.requests;
      expect(r.sent).toBeGreaterThan(0);
      expect(r.completed + r.reset + r.refused + r.timedOut + r.cutAtEnd + r.vanished).toBe(r.sent);
      expect(r.vanished).toBe(0);
    }
  });

  it('leaves no core file from the SIGABRTed workers', () => {
    const cores = (dir: string): string[] => readdirSync(dir).filter((name) => /^core(\.\d+)?$/.test(name));
    expect([...cores(process.cwd()), ...cores(runDir), ...cores(join(runDir, 'tick-count'))]).toEqual([]);
  });

  it('leaves no process behind', () => {
    const pids = [...traces.values()].flatMap((events) => [
      ...eventsOfType(events, 'master-start').map((e) => e.pid),
      ...eventsOfType(events, 'worker-spawn').map((e) => e.pid),
      ...eventsOfType(events, 'load-start').map((e) => e.pid),
    ]);
    expect(pids.length).toBeGreaterThanOrEqual(6);
    expect(pids.filter(isAlive)).toEqual([]);
  });
});

describe('saved runs: report and diff work from the trace alone', () => {
  it('report rebuilds the same report.json', async () => {
    const before = readFileSync(join(runDir, 'report.json'), 'utf8');
    const rebuilt = await runCli(['report', runDir]);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.stdout).toContain('AS EXPECTED');
    expect(readFileSync(join(runDir, 'report.json'), 'utf8')).toBe(before);
  });

  it('diff of a run with itself finds nothing worse, in the terminal and in Markdown', async () => {
    const terminal = await runCli(['diff', runDir, runDir]);
    expect(terminal.code, terminal.stderr).toBe(0);
    expect(terminal.stdout).toContain('Nothing got worse in the second run.');
    const markdown = await runCli(['diff', runDir, runDir, '--markdown']);
    expect(markdown.stdout).toContain('| tick-count | outcome |');
  });

  it('report on a directory that is not a run says so, with exit 2', async () => {
    const result = await runCli(['report', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not a run directory (no params.json)');
  });
});

describe.skipIf(!browserAvailable)('report.html in headless Chromium', () => {
  it('renders the charts and the verdict, logs no error and makes no network request', async () => {
    const url = pathToFileURL(join(runDir, 'report.html')).href;
    mkdirSync(join(ARTIFACTS, 'html-charts'), { recursive: true });
    const visit = await visitFile(url, async (page) => {
      await page.setViewportSize({ width: 1000, height: 900 });
      await page.screenshot({ path: join(ARTIFACTS, 'html-charts', 'cpu-burst.png'), fullPage: true });
      const layout = await chartLayout(page);
      const dom = await page.evaluate(() => {
        const sections = [...document.querySelectorAll('section.strategy')].map((section) => ({
          name: section.getAttribute('data-strategy'),
          outcome: section.getAttribute('data-outcome'),
          sawtoothPoints: (section.querySelector('path.sawtooth')?.getAttribute('d') ?? '').split(/[ML]/).length - 1,
          timeoutMarkers: section.querySelectorAll('.age-chart g.marker[data-kind="worker-timeout"]').length,
          timeoutLine: section.querySelector('.age-chart .timeout-line') !== null,
          requestDots: section.querySelectorAll('.request-strip circle.request').length,
          chartWidth: section.querySelector('svg.age-chart')?.getBoundingClientRect().width ?? 0,
        }));
        return { verdict: document.getElementById('verdict')?.textContent ?? '', sections, data: document.getElementById('starve-lab-report')?.textContent ?? '' };
      });
      return { ...dom, layout };
    });
    expect(visit.errors).toEqual([]);
    expect(visit.requests).toEqual([]);
    expect(visit.result.verdict).toContain('AS EXPECTED');
    const [tickCount, wallClock] = visit.result.sections;
    expect(tickCount).toMatchObject({ name: 'tick-count', outcome: 'killed', timeoutLine: true });
    expect(tickCount?.timeoutMarkers).toBe(report.strategies[0]?.kills);
    expect(wallClock).toMatchObject({ name: 'wall-clock', outcome: 'survived', timeoutMarkers: 0, timeoutLine: true });
    for (const section of visit.result.sections) {
      expect(section.sawtoothPoints).toBeGreaterThan(4);
      expect(section.requestDots).toBeGreaterThan(0);
      expect(section.chartWidth).toBeGreaterThan(300);
    }
    expect((JSON.parse(visit.result.data) as Report).verdict).toBe(report.verdict);
    // Each kill is one line, its label never overprints another.
    expect(visit.result.layout.killLines).toEqual(report.strategies.map((s) => s.kills));
    for (const boxes of visit.result.layout.labelBoxes) expect(overlappingLabels(boxes)).toBe(0);
  }, 60_000);
});
