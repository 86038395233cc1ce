// `stacks list` as text (pure): each stack, whether it is installed, and what it holds.

import type { StackListing } from '../stacks/stack-record.js';

export interface SystemVersions {
  python: string;
  gunicorn: string | null;
  uvicorn: string | null;
}

export function renderStackList(stacks: readonly StackListing[], system: SystemVersions | null, root: string): string {
  const lines = ['Python stacks for --stack real (choose with --python-stack NAME or the scenario\'s "pythonStack"):', ''];
  for (const stack of stacks) {
    let state: string;
    if (stack.suite === null) state = system === null ? 'no interpreter with gunicorn and uvicorn found' : `Python ${system.python}: gunicorn ${system.gunicorn ?? 'missing'}, uvicorn ${system.uvicorn ?? 'missing'}`;
    else if (stack.installed !== null) state = `installed: gunicorn ${stack.installed.record.versions.gunicorn}, uvicorn ${stack.installed.record.versions.uvicorn} (Debian ${stack.suite}, ${stack.installed.record.installedAt.slice(0, 10)})`;
    else if (stack.problem !== null) state = `damaged: ${stack.problem}`;
    else state = `not installed (npx starve-lab stacks install ${stack.name})`;
    lines.push(`  ${stack.name.padEnd(8)} ${state}`, `  ${''.padEnd(8)} ${stack.summary}`);
  }
  lines.push('', `Installed stacks live in ${root}/stacks (STARVE_LAB_CACHE moves it).`, '');
  return lines.join('\n');
}
