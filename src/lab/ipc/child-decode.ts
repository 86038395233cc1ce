// Decoding what a lab child receives (its configuration, the messages to it) without a schema
// library: the children start on the clock of a compressed run, and loading zod costs about 100 ms
// per process (measured: `node -e "await import('zod')"` 0.21 s against 0.10 s for an empty script),
// which a time scale of 0.1 turns into a second of scenario time per boot. Their inputs are small.

export type FieldKind = 'number' | 'string' | 'boolean' | 'object' | 'array' | 'string|null' | 'number|null' | 'object|null';

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

function matches(value: unknown, kind: FieldKind): boolean {
  switch (kind) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'string':
    case 'boolean':
      return typeof value === kind;
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'string|null':
      return value === null || typeof value === 'string';
    case 'number|null':
      return value === null || (typeof value === 'number' && Number.isFinite(value));
    case 'object|null':
      return value === null || matches(value, 'object');
  }
}

/** The first field of `value` that is missing or of the wrong kind, as one line; null when all fit. */
export function checkFields(value: unknown, fields: Readonly<Record<string, FieldKind>>, path = ''): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${path === '' ? 'the value' : `field "${path}"`}: expected an object, found ${kindOf(value)}`;
  for (const [key, kind] of Object.entries(fields)) {
    const field = (value as Record<string, unknown>)[key];
    if (!matches(field, kind)) return `field "${path === '' ? key : `${path}.${key}`}": expected ${kind}, found ${field === undefined ? 'nothing' : kindOf(field)}`;
  }
  return null;
}

/** A message `{ type }` of one of the given types. */
export function isMessageOf<T extends { type: string }>(value: unknown, ...types: ReadonlyArray<T['type']>): value is T {
  return typeof value === 'object' && value !== null && types.includes((value as { type?: unknown }).type as T['type']);
}

type Receiver = { on(event: 'message', listener: (message: unknown) => void): unknown };

/** Calls `handle` with every message `decode` accepts; anything else is written to stderr and dropped. */
export function onDecodedMessage<T>(from: Receiver, decode: (raw: unknown) => T | null, handle: (message: T) => void, who: string): void {
  from.on('message', (raw: unknown) => {
    const message = decode(raw);
    if (message !== null) handle(message);
    else process.stderr.write(`starve-lab: dropped a malformed message from ${who}: ${JSON.stringify(raw)?.slice(0, 200)}\n`);
  });
}
