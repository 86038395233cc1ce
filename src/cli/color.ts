// The colour level for a stream: none when NO_COLOR is set or the stream is not a terminal.

import type { ColorLevel, Renderer } from '../report/render-context.js';

export function colorLevelFor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): ColorLevel {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return 0;
  const forced = env['FORCE_COLOR'];
  if (forced !== undefined) {
    if (forced === '0' || forced === 'false') return 0;
    const level = Number(forced);
    return level === 2 || level === 3 ? level : 1;
  }
  if (!stream.isTTY) return 0;
  const depth = stream.getColorDepth?.() ?? 1;
  if (depth >= 24) return 3;
  if (depth >= 8) return 2;
  return depth >= 4 ? 1 : 0;
}

/** Writes a result to stdout in one of its formats (report/reporters.ts), coloured as stdout allows. */
export function printAs<T, F extends string>(renderers: Readonly<Record<F, Renderer<T>>>, format: F, value: T, dir?: string, before = ''): void {
  process.stdout.write(`${before}${renderers[format](value, { colorLevel: colorLevelFor(process.stdout), dir })}`);
}

/** `json` with --json, else the terminal's format. */
export function terminalOrJson(json: boolean | undefined): 'json' | 'terminal' {
  return json === true ? 'json' : 'terminal';
}
