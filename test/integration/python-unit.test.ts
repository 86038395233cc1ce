// The Python side's own unit tests (python/tests, standard library unittest), run by `npm test` like
// everything else: the settings decoder, request ids, the routes app and the user's-app wrapper, and
// the heartbeat rules written here on uvicorn's own Server.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PYTHON_DIR = fileURLToPath(new URL('../../python/', import.meta.url));
// Debian's interpreter has the real stack; the tests that need uvicorn skip without it (.ci/run installs it).
const PYTHON = process.env['STARVE_LAB_PYTHON'] ?? '/usr/bin/python3';

describe('the Python side', () => {
  it('passes its unittest suite', () => {
    const result = spawnSync(PYTHON, ['-m', 'unittest', 'discover', '-s', 'tests', '-t', '.', '-v'], { cwd: PYTHON_DIR, encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    const output = `${result.stdout}${result.stderr}`;
    expect(result.status, output).toBe(0);
    const ran = /Ran (\d+) tests?/.exec(output);
    expect(Number(ran?.[1] ?? 0), output).toBeGreaterThanOrEqual(10);
    if (process.env['STARVE_LAB_REQUIRE_REAL_STACK'] === '1') expect(output, 'the real stack is required here').not.toMatch(/skipped/);
  });
});
