// What a run shows while it goes on, drawn from runScenario's typed events. On a terminal: per
// strategy, a bar that fills toward the kill line (under gunicorn the heartbeat's age against the
// timeout, under the kubelet the probes failed in a row against failureThreshold), kills so far, requests by
// outcome, elapsed and remaining time. Elsewhere (CI, pipes): one plain line per notable event, no
// control characters. --quiet: nothing.

import type { LoadCounts } from '../lab/ipc/to-orchestrator.js';
import type { RunEvent } from '../pipeline/run-events.js';
import { formatDuration } from '../report/format.js';
import { describeLayout } from '../report/wording.js';
import type { LabPlan } from '../scenario/scale-time.js';
import type { TraceEvent } from '../trace/events.js';
import { colorLevelFor } from './color.js';
import { describeProgressEvent, TIME_BASE_NOTE } from './progress.js';

const REDRAW_EVERY_MS = 250;
const BAR_WIDTH = 28;

interface StrategyState {
  /** The first worker-spawn's time: progress lines count from it, as the report does. */
  bootT: number | null;
  lastBeatT: number | null;
  /** Under the kubelet: liveness probes failed in a row (the kill comes at the probe's failureThreshold). */
  probeFailures: number;
  kills: number;
  counts: LoadCounts | null;
}

export interface ProgressView {
  onEvent(event: RunEvent): void;
  /** Stops redrawing (also on an error, so the terminal is left clean). */
  stop(): void;
}

function bar(share: number, colour: boolean): string {
  const filled = Math.round(Math.min(1, Math.max(0, share)) * BAR_WIDTH);
  const text = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
  if (!colour) return text;
  const code = share >= 0.9 ? 31 : share >= 0.5 ? 33 : 32;
  return `\u001b[${code}m${text}\u001b[39m`;
}

export function createProgressView(stream: NodeJS.WriteStream, quiet: boolean): ProgressView {
  const live = !quiet && stream.isTTY === true;
  const colour = live && colorLevelFor(stream) > 0;
  let plan: LabPlan | null = null;
  let states = new Map<string, StrategyState>();
  let started = Date.now();
  let loadStartedAt: number | null = null;
  let drawnLines = 0;
  let timer: NodeJS.Timeout | undefined;
  /** The strategies run one at a time: each load's start line names its strategy. */
  let oneAtATime = false;

  const runTimeMs = (): number => Date.now() - started;
  const clear = (): void => {
    if (drawnLines > 0) stream.write(`\u001b[${drawnLines}A\u001b[0J`);
    drawnLines = 0;
  };
  const draw = (): void => {
    if (plan === null) return;
    const { scenario, timing, timeScale } = plan;
    clear();
    const lines: string[] = [];
    const width = Math.max(...scenario.strategies.map((s) => s.length)) + 2;
    const { supervisor } = plan;
    for (const [name, state] of states) {
      const c = state.counts;
      const requests = c === null ? '' : `  ok ${c.completed}  reset ${c.reset}  refused ${c.refused}  timeout ${c.timedOut}`;
      if (supervisor.kind === 'kubelet') {
        // The kubelet kills on failed probes in a row, not on a heartbeat's age: the bar fills toward failureThreshold.
        const threshold = supervisor.probe.failureThreshold;
        // Nested, the container's master judges heartbeats too: the newest beat's age against its timeout.
        const ageMs = state.lastBeatT === null ? null : runTimeMs() - state.lastBeatT;
        const beat = supervisor.container === undefined ? '' : `  heartbeat ${formatDuration(ageMs === null ? null : ageMs / timeScale)} / ${formatDuration(timing.timeoutMs / timeScale)}`;
        lines.push(`  ${name.padEnd(width)}${bar(state.probeFailures / threshold, colour)} probe failures ${state.probeFailures} / ${threshold}${beat}  kills ${state.kills}${requests}`);
        continue;
      }
      if (supervisor.kind === 'uvicorn') {
        // uvicorn's parent kills a child whose ping goes unanswered for the timeout: the bar is the time since the last answer.
        const sinceMs = state.lastBeatT === null ? null : runTimeMs() - state.lastBeatT;
        lines.push(`  ${name.padEnd(width)}${bar(sinceMs === null ? 0 : sinceMs / supervisor.healthcheckTimeoutMs, colour)} last answer ${formatDuration(sinceMs === null ? null : sinceMs / timeScale).padStart(8)} ago / ${formatDuration(supervisor.healthcheckTimeoutMs / timeScale)}  kills ${state.kills}${requests}`);
        continue;
      }
      const ageMs = state.lastBeatT === null ? null : runTimeMs() - state.lastBeatT;
      const share = ageMs === null || timing.timeoutMs === 0 ? 0 : ageMs / timing.timeoutMs;
      lines.push(`  ${name.padEnd(width)}${bar(share, colour)} ${formatDuration(ageMs === null ? null : ageMs / timeScale).padStart(8)} / ${formatDuration(timing.timeoutMs / timeScale)}  kills ${state.kills}${requests}`);
    }
    const elapsed = Math.min(scenario.durationMs, loadStartedAt === null ? 0 : (Date.now() - loadStartedAt) / timeScale);
    lines.push(`  load elapsed ${formatDuration(elapsed)} of ${formatDuration(scenario.durationMs)}, ${formatDuration(Math.max(0, scenario.durationMs - elapsed))} left (scenario time)`);
    stream.write(`${lines.join('\n')}\n`);
    drawnLines = lines.length;
  };
  const note = (line: string): void => {
    if (quiet) return;
    if (live) clear();
    stream.write(`${line}\n`);
    if (live && timer !== undefined) draw();
  };
  const stop = (): void => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
    if (live) clear();
  };
  const onLabEvent = (strategy: string, event: TraceEvent): void => {
    const state = states.get(strategy);
    if (state !== undefined) {
      if (event.type === 'heartbeat') state.lastBeatT = event.beatT;
      if (event.type === 'worker-spawn') state.lastBeatT = event.bootCountsAsBeat ? event.t : null;
      if (event.type === 'worker-spawn' && state.bootT === null) state.bootT = event.t;
      if (event.type === 'worker-timeout' || event.type === 'liveness-failed' || (event.type === 'ping' && !event.answered)) state.kills++;
      if (event.type === 'ping' && event.answered) state.lastBeatT = event.t;
      if (event.type === 'probe') state.probeFailures = event.result === 'failure' ? state.probeFailures + 1 : 0;
      // A killed container restarts with no failure counted.
      if (event.type === 'liveness-failed') state.probeFailures = 0;
    }
    const line = describeProgressEvent(strategy, event, plan?.timeScale ?? 1, state?.bootT ?? 0);
    if (line !== null) note(line);
  };

  return {
    stop,
    onEvent(event) {
      switch (event.type) {
        case 'run-start': {
          plan = event.plan;
          oneAtATime = event.layout.layout === 'one-at-a-time';
          states = new Map(plan.scenario.strategies.map((name) => [name, { bootT: null, lastBeatT: null, probeFailures: 0, kills: 0, counts: null }]));
          started = Date.now();
          const { scenario, timeScale, timing } = plan;
          const compressed = timeScale === 1 ? '' : ` compressed ×${timeScale} (${formatDuration(timing.durationMs)} real)`;
          note(`starve-lab run ${scenario.name}: ${scenario.strategies.join(' vs ')}, ${formatDuration(scenario.durationMs)} of load${compressed}, ${describeLayout(event.layout)}`);
          note(`  run directory ${event.runDir}`);
          note(`  ${TIME_BASE_NOTE}`);
          return;
        }
        case 'load-start':
          loadStartedAt = Date.now();
          if (live) timer ??= setInterval(draw, REDRAW_EVERY_MS);
          else note(`  ${oneAtATime ? `${event.strategies.join(', ')}: ` : ''}load running for ${formatDuration(event.durationMs)} of real time; kills are printed as they happen`);
          return;
        case 'lab-event':
          return onLabEvent(event.strategy, event.event);
        case 'load-progress': {
          const state = states.get(event.strategy);
          if (state !== undefined) state.counts = event.counts;
          return;
        }
        case 'contended-rerun':
          for (const { strategy, why } of event.strategies) {
            note(`  ${strategy}: the host was contended (${why}); running it again alone`);
            // Its second attempt starts from its own boot, with no kill yet.
            states.set(strategy, { bootT: null, lastBeatT: null, probeFailures: 0, kills: 0, counts: null });
          }
          return;
        case 'lab-end':
          return stop();
        case 'doctor-analysis':
          return note("  Clinic.js Doctor: analysing each worker's data…");
        case 'series-start':
          return note(`starve-lab run ${event.plan.scenario.name} × ${event.repeat} (${event.parallel} at a time; ${describeLayout(event.layout)}) into ${event.seriesDir}`);
        case 'series-run-end': {
          const parts = event.report.strategies.map((s) => `${s.name} ${s.outcome}${s.kills > 0 ? ` ×${s.kills}` : ''}`);
          return note(`  run ${String(event.index + 1).padStart(String(event.repeat).length)}/${event.repeat}: ${parts.join(', ')}`);
        }
        case 'run-end':
        case 'series-end':
          return;
      }
    },
  };
}
