// Where the agent lets a server other than the app's own bind (pure): loopback only, as every server of the lab.

/**
 * Another server's listen() arguments bound to 127.0.0.1 whatever host it asked for (0.0.0.0, ::, a
 * name): the lab binds nothing beyond loopback. A Unix socket path or an inherited handle binds no address.
 */
export function onLoopback(args: readonly unknown[]): unknown[] {
  const [first] = args;
  if (typeof first === 'object' && first !== null) {
    const options = first as Record<string, unknown>;
    if ('path' in options || 'handle' in options || '_handle' in options || 'fd' in options) return [...args];
    return [{ ...options, host: '127.0.0.1' }, ...args.slice(1)];
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return [...args];
  const hasPort = typeof first === 'number' || typeof first === 'string';
  const rest = hasPort ? args.slice(1) : [...args];
  // listen(port, host, backlog, cb): a host given is replaced, none is added.
  const tail = typeof rest[0] === 'string' ? rest.slice(1) : rest;
  return [hasPort ? first : 0, '127.0.0.1', ...tail];
}
