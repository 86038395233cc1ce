// The colour level for a stream: none when NO_COLOR is set or the stream is not a terminal.

import type { ColorLevel } from '../report/render-terminal.js';

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
