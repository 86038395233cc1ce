// Which target and supervisor a run uses: the model (starve-lab's Node re-creation under its gunicorn
// arbiter), or the real stack (real gunicorn + uvicorn). Everything the real stack cannot do is refused
// here, before anything starts.

import { StarveError } from '../errors.js';
import { gunicornModelSupervisor } from '../lab/supervisors/gunicorn-model.js';
import { gunicornRealSupervisor } from '../lab/supervisors/gunicorn-real.js';
import { kubeletModelSupervisor } from '../lab/supervisors/kubelet-model.js';
import { KUBELET } from '../probes/types.js';
import type { Supervisor } from '../lab/supervisors/types.js';
import { modelTarget } from '../lab/targets/model-target.js';
import { isNodeApp, nodeAppTarget } from '../lab/targets/node-app-target.js';
import { findPythonStack, pythonAppTarget, pythonContainerTarget, pythonRoutesTarget } from '../lab/targets/python-target.js';
import type { Target } from '../lab/targets/types.js';
import type { LabPlan } from '../scenario/scale-time.js';
import type { Stack } from '../trace/run-params.js';

export interface StackChoice {
  stack: Stack;
  target: Target;
  supervisor: Supervisor;
  /** Versions of what runs, for params.json and the report. */
  versions: Record<string, string | null>;
}

/** Reasons the real stack cannot run this plan, one line each. */
export function realStackProblems(plan: LabPlan, clinic: boolean): string[] {
  const problems: string[] = [];
  // uvicorn's 100 ms tick and gunicorn's 1 s check are fixed in their code: real time only.
  if (plan.timeScale !== 1) problems.push(`--time-scale ${plan.timeScale}: uvicorn's 100 ms tick and gunicorn's 1 s check cannot be compressed, so the real stack runs at real timing only (leave out --time-scale)`);
  if (plan.scenario.timeoutMs % 1000 !== 0) problems.push(`timeout ${plan.scenario.timeoutMs} ms: gunicorn's --timeout takes whole seconds`);
  // Under the kubelet the real stack is plain uvicorn (no gunicorn), as an ASGI app usually runs in a pod.
  if (plan.scenario.master !== KUBELET && plan.scenario.master !== 'gunicorn-20') problems.push(`master ${plan.scenario.master}: the installed gunicorn is the real master (gunicorn-20 semantics for 20.x/21.x)`);
  if (plan.scenario.load.routes.some((route) => route.kind === 'script')) problems.push('script routes: their handlers are JavaScript; the real stack serves Python');
  if (plan.scenario.clockSteps.length > 0) problems.push('clock steps: the real stack reads the machine\'s own clock, which starve-lab never touches');
  if (clinic) problems.push('--clinic doctor: Clinic.js profiles Node processes, not Python ones');
  return problems;
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

export function chooseStack(stack: Stack, plan: LabPlan, clinic: boolean, app: AppChoice = {}): StackChoice {
  const userApp = app.app !== undefined;
  const nodeApp = app.app !== undefined && isNodeApp(app.app);
  if (stack === 'model') {
    const problems = [
      ...(userApp && !nodeApp ? [`--app ${app.app}: an ASGI app (module:attribute) runs on the real stack; add --stack real (a Node app is a .mjs, .cjs or .js file)`] : []),
      ...(nodeApp && app.appDir !== undefined ? ['--app-dir: only for a Python app (a Node app is found by its path)'] : []),
      ...routeProblems(plan, nodeApp),
    ];
    if (problems.length > 0) throw new StarveError('BAD_ARGUMENT', `${plan.scenario.name} cannot run on the model as asked:`, { details: problems, hint: 'Nothing was started.' });
    const target = nodeApp && app.app !== undefined ? nodeAppTarget(app.app) : modelTarget;
    return { stack, target, supervisor: plan.scenario.master === KUBELET ? kubeletModelSupervisor : gunicornModelSupervisor, versions: {} };
  }
  if (nodeApp) throw new StarveError('BAD_ARGUMENT', `--app ${app.app}: a Node app runs under starve-lab's own supervisors, not the real gunicorn.`, { hint: 'Leave out --stack real. Nothing was started.' });
  const problems = [...realStackProblems(plan, clinic), ...routeProblems(plan, userApp)];
  if (problems.length > 0) {
    throw new StarveError('BAD_ARGUMENT', `--stack real cannot run ${plan.scenario.name} as asked:`, { details: problems, hint: 'Nothing was started.' });
  }
  const python = findPythonStack(plan.scenario.loop === 'uvloop');
  const target = app.app === undefined ? pythonRoutesTarget(python) : pythonAppTarget(python, app.app, app.appDir);
  if (plan.scenario.master === KUBELET) return { stack, target: pythonContainerTarget(target), supervisor: kubeletModelSupervisor, versions: { ...python.versions } };
  return { stack, target, supervisor: gunicornRealSupervisor, versions: { ...python.versions } };
}
