import { describe, expect, it } from 'vitest';
import { decodeDeb822Sources, decodeListSources, findDebianArchive, sourcesForSuite } from '../../src/decode/apt-sources.js';
import { masterForGunicornVersion } from '../../src/masters/registry.js';
import { debFileVersion, privateAptOptions } from '../../src/lab/stacks/install-stack.js';
import { cacheRoot } from '../../src/stacks/stack-cache.js';
import { decodeStackRecord } from '../../src/stacks/stack-record.js';
import { findStackName, stackNames } from '../../src/stacks/stack-names.js';
import { validateScenario } from '../../src/scenario/validate-scenario.js';
import { scenarioToFile } from '../../src/scenario/scenario-file.js';

// Host names here are placeholders of the test: the code takes the mirror from the machine's own sources.
const DEB822 = `Types: deb
# http://snapshot.example/archive/debian/20250520T000000Z
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
`;

describe("the machine's apt sources", () => {
  it('finds the Debian archive in a deb822 file, with its keyring, and not the security archive', () => {
    expect(findDebianArchive([{ name: 'debian.sources', text: DEB822 }])).toEqual({ uri: 'http://mirror.example/debian', suites: ['bookworm', 'bookworm-updates'], components: ['main'], signedBy: '/usr/share/keyrings/debian-archive-keyring.gpg' });
  });

  it('reads one-line entries with options, and skips deb-src, disabled stanzas and third parties', () => {
    expect(decodeListSources('deb-src http://a.example/debian bookworm main\ndeb [arch=amd64 signed-by=/k.gpg] http://b.example/debian bookworm main contrib # note\n')).toEqual([{ uri: 'http://b.example/debian', suites: ['bookworm'], components: ['main', 'contrib'], signedBy: '/k.gpg' }]);
    expect(decodeDeb822Sources('Types: deb\nEnabled: no\nURIs: http://x.example/debian\nSuites: bookworm\nComponents: main\n')).toEqual([]);
    const files = [
      { name: 'nodesource.sources', text: 'Types: deb\nURIs: https://node.example/node_20.x\nSuites: nodistro\nComponents: main\n' },
      { name: 'google.list', text: 'deb https://cloud.example/apt cloud-sdk-bookworm main\n' },
      { name: 'README', text: 'deb http://ignored.example/debian bookworm main\n' },
      { name: 'debian.list', text: 'deb http://c.example/debian trixie main\n' },
    ];
    expect(findDebianArchive(files)?.uri).toBe('http://c.example/debian');
    expect(findDebianArchive(files.slice(0, 3))).toBeNull();
  });

  it('leaves an inline key to the trusted keyrings, and writes the private sources for one suite', () => {
    const inline = 'Types: deb\nURIs: http://d.example/debian\nSuites: bookworm\nComponents: main\nSigned-By:\n -----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n abc\n';
    const archive = findDebianArchive([{ name: 'x.sources', text: inline }]);
    expect(archive?.signedBy).toBeNull();
    expect(sourcesForSuite({ uri: 'http://d.example/debian', suites: [], components: [], signedBy: '/k.gpg' }, 'unstable')).toBe('Types: deb\nURIs: http://d.example/debian\nSuites: unstable\nComponents: main\nSigned-By: /k.gpg\n');
  });
});

describe('installed stacks', () => {
  it('names the stacks and the suites they come from', () => {
    expect(stackNames()).toEqual(['system', 'trixie', 'newest']);
    expect(findStackName('newest')?.suite).toBe('unstable');
    expect(findStackName('system')?.suite).toBeNull();
  });

  it('reads package versions from apt\'s file names, an epoch included', () => {
    expect(debFileVersion('python3-gunicorn_23.0.0-1_all.deb')).toEqual({ name: 'python3-gunicorn', version: '23.0.0-1' });
    expect(debFileVersion('python3-foo_1%3a2.0-3_all.deb')).toEqual({ name: 'python3-foo', version: '1:2.0-3' });
    expect(debFileVersion('notes.txt')).toBeNull();
  });

  it('keeps apt in a private state, and out of the _apt sandbox only as root', () => {
    const options = privateAptOptions('/c/apt/trixie', true);
    expect(options).toContain('Dir::State::status=/c/apt/trixie/state/status');
    expect(options).toContain('Dir::Etc::sourcelist=/dev/null');
    expect(options).toContain('APT::Sandbox::User=root');
    expect(privateAptOptions('/c/apt/trixie', false)).not.toContain('APT::Sandbox::User=root');
  });

  it('puts the cache where the user asks, else in the XDG cache', () => {
    expect(cacheRoot({ STARVE_LAB_CACHE: '/own' }, '/home/u')).toBe('/own');
    expect(cacheRoot({ XDG_CACHE_HOME: '/xdg' }, '/home/u')).toBe('/xdg/starve-lab');
    expect(cacheRoot({}, '/home/u')).toBe('/home/u/.cache/starve-lab');
  });

  it('decodes a stack record and refuses a damaged one', () => {
    const record = { stackRecordVersion: 1, name: 'trixie', suite: 'trixie', installedAt: '2026-12-02T21:00:00.000Z', packages: [{ name: 'python3-gunicorn', version: '23.0.0-1' }], python: '/usr/bin/python3', versions: { gunicorn: '23.0.0', uvicorn: '0.32.0' } };
    expect(decodeStackRecord(record).ok).toBe(true);
    const damaged = decodeStackRecord({ ...record, versions: { gunicorn: '23.0.0; rm -rf /', uvicorn: '0.32.0' } });
    expect(damaged.ok).toBe(false);
  });

  it("judges a real gunicorn by its version's heartbeat carrier", () => {
    expect(['20.1.0', '21.2.0', '22.0.0', '26.2.2', 'unknown'].map(masterForGunicornVersion)).toEqual(['gunicorn-20', 'gunicorn-20', 'gunicorn-22', 'gunicorn-22', null]);
  });

  it('takes the stack as a scenario field, refuses an unknown one, and leaves the default out of the file', () => {
    const base = { name: 'x', timeoutMs: 30_000, durationMs: 1000, strategies: ['wall-clock'], load: { clients: 1, routes: [{ kind: 'cpu', ms: 100 }] } };
    const ok = validateScenario({ ...base, pythonStack: 'trixie' });
    expect(ok.ok && ok.scenario.pythonStack).toBe('trixie');
    const plain = validateScenario(base);
    expect(plain.ok && plain.scenario.pythonStack).toBe('system');
    if (plain.ok) expect(scenarioToFile(plain.scenario)).not.toHaveProperty('pythonStack');
    const bad = validateScenario({ ...base, pythonStack: 'sid' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems.map((p) => p.path)).toContain('$.pythonStack');
  });
});
