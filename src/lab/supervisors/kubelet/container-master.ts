// A pod's container that is a master with its workers (both killers nested: gunicorn's master or
// uvicorn's process manager): the kubelet starts one ahead of time as it keeps a spare worker, the
// master's process on the kubelet's socket (LISTEN_FD), its own spares booting; armed once they wait for
// their fork, started by the kubelet's go. What the master records goes to the same trace; what it
// tells its parent the kubelet passes on to the orchestrator.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LISTEN_FD, MASTER_CONFIG_ENV, UVICORN_CONFIG_ENV, type ContainerLaunch } from '../../ipc/child-config.js';
import { onDecodedMessage } from '../../ipc/child-decode.js';
import { decodeContainerMessage } from '../../ipc/to-children.js';
import type { SharedSocket } from '../process/shared-socket.js';
import type { SpareWorker } from '../process/spare-workers.js';

// The entries by path, not from gunicorn/model.ts and uvicorn/model.ts: those load the orchestrator's
// zod schemas, which no child of the lab loads (lab/ipc/child-decode.ts says why).
const ENTRIES = {
  gunicorn: { entry: fileURLToPath(new URL('../gunicorn/master-main.js', import.meta.url)), env: MASTER_CONFIG_ENV },
  uvicorn: { entry: fileURLToPath(new URL('../uvicorn/manager-main.js', import.meta.url)), env: UVICORN_CONFIG_ENV },
};

/** `passOn`: the master's events and failures, for the orchestrator as they are. */
export function prepareContainerMaster(children: Set<ChildProcess>, launch: ContainerLaunch, socket: SharedSocket, passOn: (message: object) => void): SpareWorker {
  const stdio: Array<'ignore' | 'inherit' | 'ipc' | number> = ['ignore', 'inherit', 'inherit', 'ipc'];
  while (stdio.length < LISTEN_FD) stdio.push('ignore');
  stdio.push(socket.fd);
  const { entry, env } = ENTRIES[launch.supervisor];
  const child = spawn(process.execPath, [entry], { stdio, env: { ...process.env, [env]: JSON.stringify({ ...launch.config, port: socket.port }) } });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let onListening: (port: number | null) => void = () => {};
  const listening = new Promise<number | null>((resolve) => (onListening = resolve));
  const armed = new Promise<boolean>((resolve) => {
    child.once('exit', () => resolve(false));
    child.once('error', () => resolve(false));
    onDecodedMessage(child, decodeContainerMessage, (message) => {
      if (message.type === 'armed') resolve(true);
      else if (message.type === 'ready') onListening(message.port);
      else passOn(message.raw);
    }, `container master ${child.pid ?? '?'}`);
  });
  return { child, pid: child.pid ?? -1, heartbeatFd: -1, stackChannel: null, armed, listening };
}
