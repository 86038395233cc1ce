// Writing one result in several formats into a directory: each format's renderer from its map
// (report/reporters.ts), each file whole or not at all.

import { join } from 'node:path';
import { FILE_CONTEXT, type Renderer } from '../report/render-context.js';
import { writeFileAtomic } from './write-file-atomic.js';

export function writeFormats<T, F extends string>(dir: string, value: T, files: Readonly<Partial<Record<F, string>>>, renderers: Readonly<Record<F, Renderer<T>>>): void {
  for (const [format, file] of Object.entries(files) as Array<[F, string]>) writeFileAtomic(join(dir, file), renderers[format](value, FILE_CONTEXT));
}
