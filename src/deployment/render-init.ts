// What `init` prints (pure): what it read, every setting and what became of it, the files written and
// the command to run next. Terminal (coloured as the stream allows) and JSON.

import { Chalk } from 'chalk';
import { quote } from 'shell-quote';
import { printable } from '../report/escape.js';
import type { Renderer } from '../report/render-context.js';
import { renderAsJson } from '../report/render-json.js';
import type { SettingFate, SettingNote } from './types.js';

export interface InitSummary {
  readAs: string;
  origin: string;
  files: Array<{ path: string; killer: 'gunicorn' | 'uvicorn' | 'kubelet' | 'pod'; scenario: string }>;
  notes: SettingNote[];
}

const FATE_ORDER: readonly SettingFate[] = ['used', 'defaulted', 'not mapped', 'not needed'];
const KILLER = { gunicorn: "gunicorn's master", uvicorn: "uvicorn's process manager", kubelet: "the kubelet's liveness probe", pod: 'both killers nested: the kubelet over the master' } as const;

const renderTerminal: Renderer<InitSummary> = (summary, { colorLevel }) => {
  const c = new Chalk({ level: colorLevel });
  const paint = (fate: SettingFate, text: string): string => (fate === 'used' ? c.green(text) : fate === 'defaulted' ? c.yellow(text) : fate === 'not mapped' ? c.red(text) : c.dim(text));
  const lines = [`starve-lab init: read ${summary.readAs}, ${printable(summary.origin)}`, ''];
  const width = Math.max(...summary.notes.map((n) => n.setting.length + (n.value === '' ? 0 : n.value.length + 3)), 10);
  for (const fate of FATE_ORDER) {
    for (const n of summary.notes.filter((note) => note.fate === fate)) {
      const setting = printable(`${n.setting}${n.value === '' ? '' : ` = ${n.value}`}`);
      lines.push(`  ${paint(fate, fate.padEnd(10))}  ${setting.padEnd(Math.min(width, 48))}  ${printable(n.effect)}`);
    }
  }
  lines.push('');
  for (const file of summary.files) lines.push(`  wrote ${c.bold(printable(file.path))}  (${KILLER[file.killer]})`);
  if (summary.files.length > 0) {
    lines.push('', 'Next:');
    for (const file of summary.files) lines.push(`  npx starve-lab run ${printable(quote([file.path]))}     # ${file.killer === 'pod' ? 'both killers: which strikes first' : 'the reproduction'}`);
    // check judges one killer at a time; the pod's scenario shows which strikes first.
    for (const file of summary.files.filter((f) => f.killer !== 'pod')) lines.push(`  npx starve-lab check ${printable(quote([file.path]))}   # safe? if not, what survives`);
  }
  return `${lines.join('\n')}\n`;
};

export const INIT_RENDERERS: Readonly<Record<'terminal' | 'json', Renderer<InitSummary>>> = {
  terminal: renderTerminal,
  json: renderAsJson,
};
