import { describe, expect, it } from 'vitest';
import { checkConfig, MASTER_FIELDS, WORKER_FIELDS } from '../../src/lab/ipc/child-config.js';
import { isMessageOf } from '../../src/lab/ipc/child-decode.js';
import { decodeGoMessage, decodeLoadGoMessage, decodeStopMessage, decodeWorkerMessage } from '../../src/lab/ipc/to-children.js';

describe("decoding what the lab's children receive", () => {
  it('names the first missing or mistyped config field, including the master\'s worker launch', () => {
    expect(checkConfig([], WORKER_FIELDS)).toBe('the value: expected an object, found array');
    expect(checkConfig({ tracePath: '/t', originNs: '1', notifier: 'wall-clock' }, WORKER_FIELDS)).toBe('field "health": expected object|null, found nothing');
    expect(checkConfig({ tracePath: '/t', originNs: '1', notifier: 'wall-clock', health: null }, WORKER_FIELDS)).toBe('field "pong": expected object|null, found nothing');
    expect(checkConfig({ tracePath: '/t', originNs: '1', notifier: 'wall-clock', health: null, pong: null, cpuHoldsGil: 'no' }, WORKER_FIELDS)).toBe('field "cpuHoldsGil": expected boolean, found string');
    expect(checkConfig({ tracePath: '/t', originNs: '1', notifier: 'wall-clock', health: null, pong: null, cpuHoldsGil: false }, WORKER_FIELDS)).toBe('field "loop": expected string, found nothing');
    expect(checkConfig({ tracePath: '/t', originNs: '1', notifier: 'health-on-loop', health: 'loop' }, WORKER_FIELDS)).toBe('field "health": expected object|null, found string');
    const master = Object.fromEntries(Object.entries(MASTER_FIELDS).map(([key, kind]) => [key, kind === 'number' ? 1 : kind === 'boolean' ? true : kind === 'array' ? [] : kind === 'object' ? {} : 'x']));
    expect(checkConfig(master, MASTER_FIELDS)).toBe('field "worker.command": expected string, found nothing');
    expect(checkConfig({ ...master, worker: { command: 'node', args: [], env: {} } }, MASTER_FIELDS)).toBeNull();
  });

  it('accepts only the messages a child expects', () => {
    expect(decodeStopMessage({ type: 'stop' })).toEqual({ type: 'stop' });
    expect(decodeStopMessage({ type: 'halt' })).toBeNull();
    expect(decodeStopMessage('stop')).toBeNull();
    expect(decodeWorkerMessage({ type: 'listening', extra: 1 })).toEqual({ type: 'listening', probePort: null });
    expect(decodeWorkerMessage({ type: 'listening', probePort: 41234 })).toEqual({ type: 'listening', probePort: 41234 });
    expect(decodeWorkerMessage({ type: 'listening', probePort: 70000 })).toEqual({ type: 'listening', probePort: null });
    expect(decodeWorkerMessage({ type: 'armed' })).toEqual({ type: 'armed' });
    expect(decodeGoMessage({ type: 'go', clockOriginMs: 950 })).toEqual({ type: 'go', clockOriginMs: 950 });
    expect(decodeGoMessage({ type: 'go' })).toBeNull();
    expect(decodeLoadGoMessage({ type: 'go', port: 8000 })).toEqual({ type: 'go', port: 8000 });
    expect(decodeLoadGoMessage({ type: 'go', port: 0 })).toBeNull();
    expect(decodeLoadGoMessage({ type: 'go', port: '8000' })).toBeNull();
    expect(decodeLoadGoMessage({ type: 'stop' })).toBeNull();
    expect(isMessageOf({ type: 'a' }, 'a', 'b')).toBe(true);
  });
});
