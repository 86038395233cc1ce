// `check`: runs the deployment's scenario at its stated load, sets the stalls measured against what its
// killer tolerates, and for a deployment killed or at risk runs every candidate change the advice
// proposes, one at a time, so each recommendation comes with the outcome the lab gave it. A limit
// that was still too small is raised (twice at most) and run again. Writes check.json and check.md
// into the check's directory, each run's own directory beside them.

import { join } from 'node:path';
import { candidateOfKind, candidatesFor, RAISED_LIMITS, type Candidate } from '../advice/candidates.js';
import { decideCheckVerdict, HEADROOM_FACTORS, measuredStalls, recommend, stallToCover, type CandidateOutcome, type CheckResult, type CheckVerdict, type HeadroomStep } from '../advice/check-result.js';
import { CHECK_FILES, CHECK_RENDERERS } from '../advice/render-check.js';
import { toleranceOf } from '../advice/tolerance.js';
import { podContainerOf } from '../scenario/supervisor.js';
import { StarveError } from '../errors.js';
import { createRunDir } from '../io/create-run-dir.js';
import { writeFormats } from '../io/write-formats.js';
import type { StrategyReport } from '../report/report-schema.js';
import { LIMITS } from '../scenario/limits.js';
import { scenarioToFile } from '../scenario/scenario-file.js';
import type { Scenario } from '../scenario/types.js';
import type { RunEventListener } from './run-events.js';
import { resolveScenario, runScenario, type ScenarioInput } from './run-scenario.js';

export interface CheckOptions {
  timeScale?: number;
  stack?: 'model' | 'real';
  app?: string;
  appDir?: string;
  /** Where the check's directory goes (outDir/<scenario>-check/<timestamp>/); default ./reports. */
  outDir?: string;
  /** The strategy to check (default: the scenario's first, the deployment's own). */
  strategy?: string;
  /** A safe deployment is run again at twice and four times its load, up to the first kill. */
  headroom?: boolean;
  signal?: AbortSignal;
  /** Before each run: what it is (`the deployment`, or a candidate's change). */
  onStep?: (step: { index: number; total: number; label: string }) => void;
  onEvent?: RunEventListener;
}

/** How many times a raised limit that still died is raised again (advice/candidates.ts RAISED_LIMITS). */
const ESCALATIONS = 2;

function survived(report: StrategyReport): boolean {
  return report.kills === 0 && report.outcome !== 'killed' && report.outcome !== 'inconclusive' && report.outcome !== 'missed-hang' && !report.contention?.contended === true;
}

/** The load times `factor`: more closed-loop clients, or an open load's higher rate (over as many connections). */
function scaledLoad(scenario: Scenario, factor: number): Scenario {
  const load = scenario.load;
  if (load.arrivalsPerS !== undefined) return { ...scenario, load: { ...load, arrivalsPerS: load.arrivalsPerS * factor, clients: Math.min(load.clients * factor, LIMITS.clients) } };
  return { ...scenario, load: { ...load, clients: load.clients * factor } };
}

/** A safe deployment at twice, then four times its load, stopping at the first that is not survived. */
async function runHeadroom(deployment: Scenario, verdict: CheckVerdict, interrupted: () => boolean, options: CheckOptions, runOne: (s: Scenario, dir: string) => Promise<{ report: StrategyReport; runDir: string }>): Promise<HeadroomStep[]> {
  const steps: HeadroomStep[] = [];
  if (verdict !== 'safe') return steps;
  const { clients, arrivalsPerS } = deployment.load;
  // Within what the lab takes: a larger load would be refused, not run.
  const factors = HEADROOM_FACTORS.filter((factor) => (arrivalsPerS === undefined ? clients * factor <= LIMITS.clients : arrivalsPerS * factor <= LIMITS.arrivalsPerS));
  for (const [index, factor] of factors.entries()) {
    if (interrupted()) break;
    const scaled = scaledLoad(deployment, factor);
    const label = scaled.load.arrivalsPerS === undefined ? `${scaled.load.clients} clients` : `${scaled.load.arrivalsPerS} requests/s`;
    options.onStep?.({ index: index + 1, total: factors.length, label: `headroom: the deployment at ${label} (${factor}× its load)` });
    const run = await runOne({ ...scaled, name: `${deployment.name}-x${factor}` }, `headroom-x${factor}`);
    const step: HeadroomStep = { factor, clients: scaled.load.clients, arrivalsPerS: scaled.load.arrivalsPerS ?? null, outcome: run.report.outcome, survived: survived(run.report), runDir: run.runDir };
    steps.push(step);
    if (!step.survived) break;
  }
  return steps;
}

export async function checkScenario(input: ScenarioInput, options: CheckOptions = {}): Promise<CheckResult> {
  const loaded = await resolveScenario(input, {});
  const scenario = loaded.scenario;
  const strategy = options.strategy ?? scenario.strategies[0] ?? '';
  if (!scenario.strategies.includes(strategy)) throw new StarveError('BAD_ARGUMENT', `${scenario.name} has no strategy "${strategy}" (it has ${scenario.strategies.join(', ')}).`, { hint: 'Give one of them with --strategy, or leave it out to check the first.' });
  if (podContainerOf(scenario.supervisor) !== null) {
    throw new StarveError('BAD_ARGUMENT', `${scenario.name} runs both killers nested (the kubelet over the container's master): check judges one killer at a time.`, { hint: '`starve-lab init` writes each killer\'s own scenario beside the pod\'s: check those, and run the pod\'s to see which strikes first.' });
  }
  const tolerance = toleranceOf(strategy, scenario);
  if (tolerance === null) throw new StarveError('BAD_ARGUMENT', `check has no arithmetic for ${strategy} under this supervisor.`);
  const checkDir = createRunDir(options.outDir ?? 'reports', `${scenario.name}-check`, new Date());
  const runOptions = { timeScale: options.timeScale ?? 1, stack: options.stack ?? 'model', sequential: true, ...(options.app === undefined ? {} : { app: options.app }), ...(options.appDir === undefined ? {} : { appDir: options.appDir }), ...(options.signal === undefined ? {} : { signal: options.signal }), ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }) };
  const runOne = async (s: Scenario, dir: string): Promise<{ report: StrategyReport; runDir: string }> => {
    const result = await runScenario(s, { ...runOptions, runDir: join(checkDir, dir) });
    const report = result.report.strategies[0];
    if (report === undefined) throw new StarveError('CHILD_FAILED', `The run in ${result.runDir} reported no strategy.`);
    return { report, runDir: result.runDir };
  };
  const deployment: Scenario = { ...scenario, strategies: [strategy], expect: {} };
  options.onStep?.({ index: 1, total: 1, label: `the deployment as it is (${strategy})` });
  const baseline = await runOne(deployment, 'deployment');
  const measured = measuredStalls(baseline.report);
  const verdict = decideCheckVerdict(baseline.report, tolerance);
  const interrupted = (): boolean => options.signal?.aborted === true;
  const candidates: CandidateOutcome[] = [];
  if ((verdict === 'killed' || verdict === 'at-risk') && !interrupted()) {
    const cover = stallToCover(measured, tolerance);
    const first = candidatesFor(deployment, strategy, cover);
    for (const [index, proposed] of first.entries()) {
      let candidate: Candidate | undefined = proposed;
      for (let attempt = 0; candidate !== undefined && attempt <= ESCALATIONS && !interrupted(); attempt += 1) {
        options.onStep?.({ index: index + 1, total: first.length, label: candidate.change });
        const named = { ...candidate.scenario, name: `${scenario.name}-${candidate.kind}` };
        const run = await runOne(named, `candidate-${candidate.kind}${attempt === 0 ? '' : `-${String(attempt + 1)}`}`);
        const outcome: CandidateOutcome = { kind: candidate.kind, change: candidate.change, outcome: run.report.outcome, survived: survived(run.report), hangNoticedAfterMs: candidate.hangNoticedAfterMs, runDir: run.runDir, scenarioFile: scenarioToFile({ ...candidate.scenario, name: scenario.name }) };
        if (outcome.survived || !RAISED_LIMITS.includes(candidate.kind) || attempt === ESCALATIONS) {
          candidates.push(outcome);
          break;
        }
        // Still killed: the same change, sized for twice the stall.
        const larger: Candidate | null = candidateOfKind(candidate.kind, deployment, strategy, cover * 2 ** (attempt + 1));
        if (larger === null || larger.change === candidate.change) {
          candidates.push(outcome);
          break;
        }
        candidate = larger;
      }
    }
  }
  const headroom = options.headroom === true ? await runHeadroom(deployment, verdict, interrupted, options, runOne) : null;
  const result: CheckResult = {
    scenario: scenario.name,
    strategy,
    killer: tolerance.killer,
    clients: scenario.load.clients,
    timeScale: runOptions.timeScale,
    stack: runOptions.stack,
    tolerance,
    measured,
    verdict,
    runDir: checkDir,
    candidates,
    recommendation: recommend(candidates),
    headroom,
    interrupted: interrupted(),
  };
  writeFormats(checkDir, result, CHECK_FILES, CHECK_RENDERERS);
  return result;
}
