// What a run shows while it goes on. On a terminal: per strategy, the heartbeat's age as a bar that
// fills toward the kill line, kills so far, requests by outcome, elapsed and remaining time. Elsewhere
// (CI, pipes): one plain line per notable event, no control characters. --quiet: nothing.

import type { LabObserver } from '../lab/run-lab.js';
import type { LoadCounts } from '../lab/child-config.js';
import { formatDuration } from '../report/format.js';
import type { LabPlan } from '../scenario/scale-time.js';
import type { Scenario } from '../scenario/types.js';
import type { TraceEvent } from '../trace/events.js';
import { colorLevelFor } from './color.js';
import { describeProgressEvent } from './progress.js';

const REDRAW_EVERY_MS = 250;
const BAR_WIDTH = 28;

interface StrategyState {
  lastBeatT: number | null;
  kills: number;
  counts: LoadCounts | null;
}

export interface ProgressView {
  observer: LabObserver;
  start(runDir: string): void;
  note(line: string): void;
  stop(): void;
}

export interface ProgressViewOptions {
  stream: NodeJS.WriteStream;
  quiet: boolean;
  scenario: Scenario;
  plan: LabPlan;
}

function bar(share: number, colour: boolean): string {
  const filled = Math.round(Math.min(1, Math.max(0, share)) * BAR_WIDTH);
  const text = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
  if (!colour) return text;
  const code = share >= 0.9 ? 31 : share >= 0.5 ? 33 : 32;
  return `\u001b[${code}m${text}\u001b[39m`;
}

export function createProgressView(options: ProgressViewOptions): ProgressView {
  const { stream, quiet, scenario, plan } = options;
  const live = !quiet && stream.isTTY === true;
  const colour = live && colorLevelFor(stream) > 0;
  const scale = plan.timeScale;
  const states = new Map<string, StrategyState>(scenario.strategies.map((name) => [name, { lastBeatT: null, kills: 0, counts: null }]));
  const started = Date.now();
  let loadStartedAt: number | null = null;
  let drawnLines = 0;
  let timer: NodeJS.Timeout | undefined;

  const runTimeMs = (): number => Date.now() - started;
  const clear = (): void => {
    if (drawnLines > 0) stream.write(`\u001b[${drawnLines}A\u001b[0J`);
    drawnLines = 0;
  };
  const draw = (): void => {
    clear();
    const lines: string[] = [];
    const width = Math.max(...scenario.strategies.map((s) => s.length)) + 2;
    for (const [name, state] of states) {
      const ageMs = state.lastBeatT === null ? null : runTimeMs() - state.lastBeatT;
      const share = ageMs === null || plan.timing.timeoutMs === 0 ? 0 : ageMs / plan.timing.timeoutMs;
      const c = state.counts;
      const requests = c === null ? '' : `  ok ${c.completed}  reset ${c.reset}  refused ${c.refused}  timeout ${c.timedOut}`;
      lines.push(`  ${name.padEnd(width)}${bar(share, colour)} ${formatDuration(ageMs === null ? null : ageMs / scale).padStart(8)} / ${formatDuration(scenario.timeoutMs)}  kills ${state.kills}${requests}`);
    }
    const elapsed = loadStartedAt === null ? 0 : (Date.now() - loadStartedAt) / scale;
    lines.push(`  elapsed ${formatDuration(elapsed)} of ${formatDuration(scenario.durationMs)}, ${formatDuration(Math.max(0, scenario.durationMs - elapsed))} left (scenario time)`);
    stream.write(`${lines.join('\n')}\n`);
    drawnLines = lines.length;
  };
  const note = (line: string): void => {
    if (quiet) return;
    if (live) clear();
    stream.write(`${line}\n`);
    if (live && timer !== undefined) draw();
  };
  const onEvent = (strategy: string, event: TraceEvent): void => {
    const state = states.get(strategy);
    if (state !== undefined) {
      if (event.type === 'heartbeat') state.lastBeatT = event.beatT;
      if (event.type === 'worker-spawn') state.lastBeatT = event.bootCountsAsBeat ? event.t : null;
      if (event.type === 'worker-timeout') state.kills++;
    }
    const line = describeProgressEvent(strategy, event, scale);
    if (line !== null) note(line);
  };

  return {
    observer: {
      onEvent,
      onLoadStart: (durationMs) => {
        loadStartedAt = Date.now();
        if (!live) note(`  load running for ${formatDuration(durationMs)} (real); kills are printed as they happen (times in scenario time)`);
        if (live) timer = setInterval(draw, REDRAW_EVERY_MS);
      },
      onLoadProgress: (strategy, counts) => {
        const state = states.get(strategy);
        if (state !== undefined) state.counts = counts;
      },
    },
    start(runDir) {
      const compressed = scale === 1 ? '' : ` compressed ×${scale} (${formatDuration(plan.timing.durationMs)} real)`;
      note(`starve-lab run ${scenario.name}: ${scenario.strategies.join(' vs ')}, ${formatDuration(scenario.durationMs)} of load${compressed}`);
      note(`  run directory ${runDir}`);
    },
    note,
    stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      if (live) clear();
    },
  };
}
