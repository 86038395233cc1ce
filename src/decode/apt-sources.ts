// The machine's apt sources, decoded (pure): where its Debian archive is, so `stacks install` can ask
// that same mirror for another suite without a host name of its own. Both formats apt reads: deb822
// `.sources` stanzas and one-line `.list` entries.

export interface AptSource {
  uri: string;
  suites: string[];
  components: string[];
  /** The keyring the entry names (Signed-By / [signed-by=…]); null: apt's trusted keyrings. */
  signedBy: string | null;
}

function stanzas(text: string): Array<Map<string, string>> {
  const found: Array<Map<string, string>> = [];
  let current = new Map<string, string>();
  let lastKey: string | null = null;
  const flush = (): void => {
    if (current.size > 0) found.push(current);
    current = new Map();
    lastKey = null;
  };
  for (const raw of text.split('\n')) {
    if (raw.startsWith('#')) continue;
    if (raw.trim() === '') {
      flush();
      continue;
    }
    // A continuation line (an inline key block in Signed-By): part of the previous field.
    if (/^\s/.test(raw) && lastKey !== null) {
      current.set(lastKey, `${current.get(lastKey) ?? ''}\n${raw.trim()}`);
      continue;
    }
    const match = /^([A-Za-z][\w-]*):\s*(.*)$/.exec(raw);
    if (match === null) continue;
    lastKey = (match[1] ?? '').toLowerCase();
    current.set(lastKey, (match[2] ?? '').trim());
  }
  flush();
  return found;
}

const words = (value: string | undefined): string[] => (value ?? '').split(/\s+/).filter((w) => w !== '');

/** The `deb` entries of a deb822 `.sources` file (`Enabled: no` and deb-src left out). */
export function decodeDeb822Sources(text: string): AptSource[] {
  return stanzas(text).flatMap((fields) => {
    if (!words(fields.get('types')).includes('deb') || fields.get('enabled')?.toLowerCase() === 'no') return [];
    const signed = fields.get('signed-by');
    // An inline key (several lines) cannot be passed on as a path: leave it to apt's trusted keyrings.
    const signedBy = signed === undefined || signed.includes('\n') || signed === '' ? null : signed;
    return words(fields.get('uris')).map((uri) => ({ uri, suites: words(fields.get('suites')), components: words(fields.get('components')), signedBy }));
  });
}

/** The `deb` lines of a one-line `.list` file. */
export function decodeListSources(text: string): AptSource[] {
  return text.split('\n').flatMap((line) => {
    const match = /^\s*deb\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s*(.*)$/.exec(line.replace(/#.*$/, ''));
    if (match === null) return [];
    const options = words(match[1]);
    const signedBy = options.find((o) => o.startsWith('signed-by='))?.slice('signed-by='.length) ?? null;
    return [{ uri: match[2] ?? '', suites: [match[3] ?? ''], components: words(match[4]), signedBy }];
  });
}

/** Suites of Debian's main archive (not its security archive, not a backports or a third party's). */
const DEBIAN_SUITE = /^(bullseye|bookworm|trixie|forky|duke|sid|stable|testing|unstable|oldstable)(-updates)?$/;

/**
 * The machine's Debian archive: the first `deb` entry with a Debian suite and the `main` component.
 * `files` are the sources files apt reads, by name (sources.list and sources.list.d's `.list` and
 * `.sources`); null when none is the Debian archive.
 */
export function findDebianArchive(files: ReadonlyArray<{ name: string; text: string }>): AptSource | null {
  for (const file of files) {
    const entries = file.name.endsWith('.sources') ? decodeDeb822Sources(file.text) : file.name.endsWith('.list') ? decodeListSources(file.text) : [];
    const found = entries.find((e) => e.suites.some((s) => DEBIAN_SUITE.test(s)) && e.components.includes('main') && /^(https?|file|mirror\+\w+):/.test(e.uri));
    if (found !== undefined) return found;
  }
  return null;
}

/** The private sources file for one suite of that archive (deb822). */
export function sourcesForSuite(archive: AptSource, suite: string): string {
  return [
    'Types: deb',
    `URIs: ${archive.uri}`,
    `Suites: ${suite}`,
    'Components: main',
    ...(archive.signedBy === null ? [] : [`Signed-By: ${archive.signedBy}`]),
    '',
  ].join('\n');
}
