// What wrk runs (pure): the Lua script that turns wrk into one of the lab's clients, and the request
// plan each of its threads reads. wrk's Lua API (wrk 4: setup, init, request, response, delay) has no
// per-connection state, so the lab runs one connection per wrk thread (-t N -c N): each thread's Lua
// state is then one client, its request() and response() strictly alternate, and a request() while
// one is still pending means wrk dropped the connection and reconnected (a read or write error: the
// pending request was lost). Times come from CLOCK_MONOTONIC through LuaJIT's FFI, the clock Node's
// hrtime reads, so they are on the run's time base. Each event is one line written to the descriptor
// the load hands wrk (a socket: Node's stdio pipes are socket pairs) by one write(2) of a few dozen
// bytes, so the threads' lines never interleave.

import type { PlannedRequest } from './request-plan.js';
import { requestPath } from './request-plan.js';

/** Plan entries per client; a client that sends more goes round its entries again, with new ids. */
export const WRK_PLAN_PER_CLIENT = 2048;

/** A Lua string literal for any text: printable ASCII as is, everything else as a three-digit decimal escape. */
export function luaString(text: string): string {
  let out = '"';
  for (const byte of Buffer.from(text, 'utf8')) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    // Three digits always: Lua reads up to three, so "\\9" before a digit would swallow it.
    else out += `\\${String(byte).padStart(3, '0')}`;
  }
  return `${out}"`;
}

/** One client's plan as a Lua module: a list of { method, path, headers, body }. */
export function renderClientPlan(entries: readonly PlannedRequest[]): string {
  const lines = entries.map((entry) => {
    const own = entry.request;
    const headers = Object.entries(own?.headers ?? {})
      .map(([name, value]) => `[${luaString(name)}]=${luaString(value)}`)
      .join(',');
    const body = own?.body === undefined ? 'nil' : luaString(own.body);
    return `{${luaString(own?.method ?? 'GET')},${luaString(requestPath(entry))},{${headers}},${body}}`;
  });
  return `return {\n${lines.join(',\n')}\n}\n`;
}

/** Where the request with this id sits in the plan: its client and its entry in that client's plan. */
export function planSlot(id: number, clients: number, perClient: number = WRK_PLAN_PER_CLIENT): { client: number; entry: number } {
  const client = (id - 1) % clients;
  const seq = Math.floor((id - 1) / clients);
  return { client, entry: seq % perClient };
}

/**
 * The script. Its arguments (after wrk's `--`): the plan files' prefix, the clients, the run's origin
 * on CLOCK_MONOTONIC (whole seconds and the nanoseconds past them, so doubles stay exact), the file
 * descriptor to write to, and the id header's name. `thinkMs` > 0 adds wrk's delay() (not defined otherwise: with it
 * wrk puts every request through a timer, which would slow the client down).
 */
export function wrkScript(thinkMs: number): string {
  const delay =
    thinkMs > 0
      ? `
-- The think time: none before a client's first request, thinkMs after every response. wrk asks again
-- when the server closes the idle connection during the pause (its reconnect keeps the connection's
-- "delayed" flag) and would then run two timers, the second sending a request while the first is in
-- flight; a second ask for the same response gets a pause that outlasts any run instead.
local delayed_for = -1
function delay()
  if delayed_for == responses then return 1000000000 end
  delayed_for = responses
  if responses == 0 then return 0 end
  return ${Math.round(thinkMs)}
end
`
      : '';
  return `-- Written by starve-lab for one run (src/lab/load/wrk-script.ts); wrk runs it with one connection per thread.
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } starve_timespec;
int clock_gettime(int clock_id, starve_timespec *tp);
long write(int fd, const void *buf, unsigned long count);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("starve_timespec")

local next_index = 0
function setup(thread)
  thread:set("client_index", next_index)
  next_index = next_index + 1
end

local plan, clients, origin_s, origin_ns, out_fd, id_header
local seq, pending, responses = 0, nil, 0
-- wrk calls thread 0's request() once before the run, to check what it returns (script_verify_request).
local verifying = false

function init(args)
  clients = tonumber(args[2])
  plan = dofile(args[1] .. client_index .. ".lua")
  origin_s = tonumber(args[3])
  origin_ns = tonumber(args[4])
  out_fd = tonumber(args[5])
  id_header = args[6]
  verifying = client_index == 0
end

-- One write(2) per line: the threads' lines never interleave.
local function emit(line)
  ffi.C.write(out_fd, line, #line)
end

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return (tonumber(ts.tv_sec) - origin_s) * 1000 + (tonumber(ts.tv_nsec) - origin_ns) / 1e6
end

function request()
  if verifying then
    verifying = false
    return wrk.format(plan[1][1], plan[1][2], {}, plan[1][4])
  end
  local t = now_ms()
  if pending ~= nil then emit(string.format("L %d %.3f\\n", pending, t)) end
  local entry = plan[(seq % #plan) + 1]
  local id = client_index + 1 + clients * seq
  seq = seq + 1
  pending = id
  local headers = { [id_header] = tostring(id) }
  for name, value in pairs(entry[3]) do headers[name] = value end
  local raw = wrk.format(entry[1], entry[2], headers, entry[4])
  emit(string.format("S %d %.3f\\n", id, t))
  return raw
end

function response(status, headers, body)
  local t = now_ms()
  responses = responses + 1
  if pending ~= nil then
    emit(string.format("R %d %d %.3f\\n", pending, status, t))
    pending = nil
  end
end
${delay}`;
}

/** One line of the script's output, decoded; null for anything else. */
export type WrkLine = { kind: 'sent' | 'lost'; id: number; t: number } | { kind: 'response'; id: number; status: number; t: number };

export function decodeWrkLine(line: string): WrkLine | null {
  const parts = line.trim().split(' ');
  const id = Number(parts[1]);
  if (!Number.isInteger(id) || id < 1) return null;
  if ((parts[0] === 'S' || parts[0] === 'L') && parts.length === 3) {
    const t = Number(parts[2]);
    return Number.isFinite(t) ? { kind: parts[0] === 'S' ? 'sent' : 'lost', id, t } : null;
  }
  if (parts[0] === 'R' && parts.length === 4) {
    const status = Number(parts[2]);
    const t = Number(parts[3]);
    return Number.isInteger(status) && Number.isFinite(t) ? { kind: 'response', id, status, t } : null;
  }
  return null;
}
