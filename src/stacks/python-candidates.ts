// Which interpreters to try for the real stack (pure): STARVE_LAB_PYTHON if set, else Debian's
// /usr/bin/python3 (where apt's python3-* packages install) and then the python3 first on PATH.

export function pythonCandidates(env: NodeJS.ProcessEnv): string[] {
  const forced = env['STARVE_LAB_PYTHON'];
  return forced !== undefined && forced !== '' ? [forced] : ['/usr/bin/python3', 'python3'];
}
