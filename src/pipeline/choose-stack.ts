// Which target and supervisor a run uses: the model (starve-lab's Node re-creation under its gunicorn
// arbiter), or the real stack (real gunicorn + uvicorn). Everything the real stack cannot do is refused
// here, before anything starts.

import { findWrk } from '../lab/load/find-wrk.js';
import { findNginx } from '../lab/load/find-nginx.js';
import { StarveError } from '../errors.js';
import { gunicornModelSupervisor } from '../lab/supervisors/gunicorn/model.js';
import { gunicornRealSupervisor } from '../lab/supervisors/gunicorn/real.js';
import { kubeletModelSupervisor } from '../lab/supervisors/kubelet/model.js';
import { uvicornModelSupervisor } from '../lab/supervisors/uvicorn/model.js';
import { uvicornRealSupervisor } from '../lab/supervisors/uvicorn/real.js';
import { unknownKind, type SupervisorSpec } from '../scenario/supervisor.js';
import type { Supervisor } from '../lab/supervisors/types.js';
import { modelTarget } from '../lab/targets/model-target.js';
import { isNodeApp, nodeAppTarget } from '../lab/targets/node-app-target.js';
import { findPythonStack, pythonAppTarget, pythonContainerTarget, pythonRoutesTarget } from '../lab/targets/python-target.js';
import type { AsgiTarget, Target } from '../lab/targets/types.js';
import { stackSitePath } from '../io/installed-stacks.js';
import { installCommand } from '../stacks/stack-names.js';
import { gunicornMajor, masterForGunicornVersion } from '../masters/registry.js';
import { DEFAULT_HEALTHCHECK_TIMEOUT_MS, HEALTHCHECK_OPTION_SINCE, PROCESS_MANAGER_SINCE, uvicornHas } from '../process-manager/healthcheck.js';
import type { LabPlan } from '../scenario/scale-time.js';
import type { Stack } from '../trace/run-params.js';

export interface StackChoice {
  stack: Stack;
  /** The plan as it runs: on the real stack, the master preset is the installed gunicorn's own rule. */
  plan: LabPlan;
  target: Target;
  supervisor: Supervisor;
  /** Versions of what runs, for params.json and the report. */
  versions: Record<string, string | null>;
}

/** The run's instruments that not every stack supports: Clinic.js Doctor, the stack at each kill. */
export interface LabTools {
  clinic: boolean;
  stacks: boolean;
}

/** Reasons the real stack cannot run this plan, one line each. */
export function realStackProblems(plan: LabPlan, tools: LabTools): string[] {
  const problems: string[] = [];
  // uvicorn's 100 ms tick and gunicorn's 1 s check are fixed in their code: real time only.
  if (plan.timeScale !== 1) problems.push(`--time-scale ${plan.timeScale}: uvicorn's 100 ms tick and gunicorn's 1 s check cannot be compressed, so the real stack runs at real timing only (leave out --time-scale)`);
  problems.push(...realSupervisorProblems(plan.scenario.supervisor, tools.stacks));
  if (plan.scenario.load.routes.some((route) => route.kind === 'script')) problems.push('script routes: their handlers are JavaScript; the real stack serves Python');
  if (plan.scenario.clockSteps.length > 0) problems.push('clock steps: the real stack reads the machine\'s own clock, which starve-lab never touches');
  if (tools.clinic) problems.push('--clinic doctor: Clinic.js profiles Node processes, not Python ones');
  return problems;
}

/** What of the supervisor the real stack cannot run. Under the kubelet it is plain uvicorn (no gunicorn), as an ASGI app usually runs in a pod. */
function realSupervisorProblems(supervisor: SupervisorSpec, stacks: boolean): string[] {
  switch (supervisor.kind) {
    case 'gunicorn':
      return [
        ...(supervisor.timeoutMs % 1000 !== 0 ? [`timeout ${supervisor.timeoutMs} ms: gunicorn's --timeout takes whole seconds`] : []),
      ];
    case 'kubelet':
      if (supervisor.container !== undefined) return [`"container": a pod whose container is a master with its workers runs on the model only for now (the real gunicorn or uvicorn as the kubelet's container is not wired yet); run it without --stack real, or each killer's own scenario on the real stack`];
      return stacks ? ['--stacks: plain uvicorn under the kubelet dumps no Python traceback at its kill yet (gunicorn\'s SIGABRT does, under a gunicorn master); leave out --stacks, or run it on the model'] : [];
    case 'uvicorn':
      return [
        ...(supervisor.healthcheckTimeoutMs % 1000 !== 0 ? [`timeout ${supervisor.healthcheckTimeoutMs} ms: uvicorn's --timeout-worker-healthcheck takes whole seconds`] : []),
        ...(stacks ? ['--stacks: uvicorn\'s SIGKILL leaves no Python traceback to take; leave out --stacks, or run it on the model'] : []),
      ];
    default:
      return unknownKind(supervisor);
  }
}

/** The model's supervisor for the scenario's kind. */
function modelSupervisor(supervisor: SupervisorSpec): Supervisor {
  switch (supervisor.kind) {
    case 'gunicorn':
      return gunicornModelSupervisor;
    case 'kubelet':
      return kubeletModelSupervisor;
    case 'uvicorn':
      return uvicornModelSupervisor;
    default:
      return unknownKind(supervisor);
  }
}

/** On the real stack: gunicorn's own master runs the app; the kubelet (ours) runs plain uvicorn as its container. */
function realStackRun(supervisor: SupervisorSpec, target: AsgiTarget): { target: Target; supervisor: Supervisor } {
  switch (supervisor.kind) {
    case 'gunicorn':
      return { target, supervisor: gunicornRealSupervisor };
    case 'kubelet':
      return { target: pythonContainerTarget(target), supervisor: kubeletModelSupervisor };
    case 'uvicorn':
      return { target, supervisor: uvicornRealSupervisor };
    default:
      return unknownKind(supervisor);
  }
}

/**
 * On the real stack the master is the installed gunicorn, and its version decides how it reads a
 * heartbeat (masters/registry.ts: ctime on the wall clock before 22, mtime on the monotonic clock
 * since). The plan carries that preset, so the report and the analysis judge by the master that ran.
 * A scenario that names the newer master cannot run on an older gunicorn: refused with the fix.
 */
function withRealMaster(plan: LabPlan, gunicornVersion: string, stackName: string): LabPlan {
  const supervisor = plan.scenario.supervisor;
  if (supervisor.kind !== 'gunicorn') return plan;
  const real = masterForGunicornVersion(gunicornVersion);
  if (real === null) return plan;
  if (supervisor.master === 'gunicorn-22' && real === 'gunicorn-20') {
    throw new StarveError('BAD_ARGUMENT', `${plan.scenario.name} names master gunicorn-22 (mtime on the monotonic clock), and the "${stackName}" stack's gunicorn is ${gunicornVersion}, which reads the ctime on the wall clock.`, {
      hint: `Run it on gunicorn 22 or later: ${installCommand('trixie')}, then add --python-stack trixie (or newest). Nothing was started.`,
    });
  }
  return real === supervisor.master ? plan : { ...plan, scenario: { ...plan.scenario, supervisor: { ...supervisor, master: real } } };
}

/** The first gunicorn with its own ASGI worker (`-k asgi`, gunicorn/workers/gasgi.py). */
const ASGI_WORKER_SINCE = 24;

/** A strategy whose worker class the installed gunicorn does not have: refused with the stack that has it. */
function checkRealWorkerClasses(plan: LabPlan, gunicornVersion: string, stackName: string): void {
  const major = gunicornMajor(gunicornVersion);
  if (plan.scenario.supervisor.kind === 'gunicorn' && plan.scenario.strategies.includes('gunicorn-asgi') && (major === null || major < ASGI_WORKER_SINCE)) {
    throw new StarveError('BAD_ARGUMENT', `gunicorn-asgi is gunicorn's own ASGI worker (-k asgi), which gunicorn has since ${ASGI_WORKER_SINCE}; the "${stackName}" stack's gunicorn is ${gunicornVersion}.`, {
      hint: `Install a gunicorn that has it: ${installCommand('newest')}, then add --python-stack newest (or leave gunicorn-asgi out with --strategies). Nothing was started.`,
    });
  }
}

/** uvicorn's process manager as the installed uvicorn has it: refused, with the stack that has it, when it does not. */
function checkRealProcessManager(plan: LabPlan, uvicornVersion: string, stackName: string): void {
  const { supervisor } = plan.scenario;
  if (supervisor.kind !== 'uvicorn') return;
  if (!uvicornHas(uvicornVersion, PROCESS_MANAGER_SINCE)) {
    throw new StarveError('BAD_ARGUMENT', `uvicorn's process manager pings its children since uvicorn ${PROCESS_MANAGER_SINCE.join('.')}; the "${stackName}" stack's uvicorn is ${uvicornVersion}.`, {
      hint: `Install one that has it: ${installCommand('trixie')}, then add --python-stack trixie (or newest). Nothing was started.`,
    });
  }
  if (supervisor.healthcheckTimeoutMs !== DEFAULT_HEALTHCHECK_TIMEOUT_MS && !uvicornHas(uvicornVersion, HEALTHCHECK_OPTION_SINCE)) {
    throw new StarveError('BAD_ARGUMENT', `timeout ${supervisor.healthcheckTimeoutMs / 1000} s: uvicorn has --timeout-worker-healthcheck since ${HEALTHCHECK_OPTION_SINCE.join('.')}, and the "${stackName}" stack's uvicorn is ${uvicornVersion}, whose healthcheck waits a fixed 5 s.`, {
      hint: `Install one that has it: ${installCommand('newest')}, then add --python-stack newest; or leave "timeoutMs" at 5000. Nothing was started.`,
    });
  }
}

/** What the run is asked to serve: starve-lab's routes, or the user's app (--app). */
export interface AppChoice {
  app?: string | undefined;
  appDir?: string | undefined;
}

/** `http` routes name the user's own paths; the lab's routes (cpu, wait, ...) are starve-lab's app's. */
function routeProblems(plan: LabPlan, userApp: boolean): string[] {
  const kinds = new Set(plan.scenario.load.routes.map((route) => route.kind));
  if (userApp) return [...kinds].filter((kind) => kind !== 'http').map((kind) => `"${kind}" routes: with --app every route is an "http" route naming your app's paths (method, path, body, headers)`);
  return kinds.has('http') ? ['"http" routes name your own app\'s paths: run them with --app ./server.mjs (a Node app) or --stack real --app module:attribute (ASGI)'] : [];
}

export function chooseStack(stack: Stack, plan: LabPlan, tools: LabTools, app: AppChoice = {}): StackChoice {
  if (plan.scenario.load.client === 'wrk') findWrk();
  if (plan.scenario.load.proxy === 'nginx') findNginx();
  const userApp = app.app !== undefined;
  const nodeApp = app.app !== undefined && isNodeApp(app.app);
  if (stack === 'model') {
    const problems = [
      ...(userApp && !nodeApp ? [`--app ${app.app}: an ASGI app (module:attribute) runs on the real stack; add --stack real (a Node app is a .mjs, .cjs or .js file)`] : []),
      ...(nodeApp && app.appDir !== undefined ? ['--app-dir: only for a Python app (a Node app is found by its path)'] : []),
      ...(nodeApp && plan.scenario.supervisor.kind === 'uvicorn' ? ['a Node app under uvicorn\'s process manager: it runs Python apps; try yours under a gunicorn master or the kubelet, or an ASGI app with --stack real'] : []),
      // Compressed time shrinks every clock the lab owns, never the user's code: its 1 s handler would be a 10 s stall at ×0.1.
      ...(nodeApp && plan.timeScale !== 1 ? [`--time-scale ${plan.timeScale}: your app's handlers run at their own speed, which compressed time cannot shrink (a 1 s handler would count as ${1 / plan.timeScale} s); your app runs at real timing only (leave out --time-scale)`] : []),
      ...routeProblems(plan, nodeApp),
    ];
    if (problems.length > 0) throw new StarveError('BAD_ARGUMENT', `${plan.scenario.name} cannot run on the model as asked:`, { details: problems, hint: 'Nothing was started.' });
    const target = nodeApp && app.app !== undefined ? nodeAppTarget(app.app) : modelTarget;
    return { stack, plan, target, supervisor: modelSupervisor(plan.scenario.supervisor), versions: {} };
  }
  if (nodeApp) throw new StarveError('BAD_ARGUMENT', `--app ${app.app}: a Node app runs under starve-lab's own supervisors, not the real gunicorn.`, { hint: 'Leave out --stack real. Nothing was started.' });
  const problems = [...realStackProblems(plan, tools), ...routeProblems(plan, userApp)];
  if (problems.length > 0) {
    throw new StarveError('BAD_ARGUMENT', `--stack real cannot run ${plan.scenario.name} as asked:`, { details: problems, hint: 'Nothing was started.' });
  }
  const python = findPythonStack(plan.scenario.loop === 'uvloop', process.env, plan.scenario.http, { name: plan.scenario.pythonStack, sitePath: stackSitePath(plan.scenario.pythonStack) });
  const target = app.app === undefined ? pythonRoutesTarget(python) : pythonAppTarget(python, app.app, app.appDir);
  checkRealWorkerClasses(plan, python.versions.gunicorn, python.name);
  checkRealProcessManager(plan, python.versions.uvicorn, python.name);
  const realPlan = withRealMaster(plan, python.versions.gunicorn, python.name);
  return { stack, plan: realPlan, ...realStackRun(realPlan.scenario.supervisor, target), versions: { ...python.versions, pythonStack: python.name } };
}
