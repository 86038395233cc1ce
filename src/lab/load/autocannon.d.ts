// The slice of autocannon's API the load process uses (the package ships no types).

declare module 'autocannon' {
  import type { Socket } from 'node:net';
  import type { EventEmitter } from 'node:events';

  export interface AutocannonRequest {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    setupRequest?: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest | null;
  }

  /** autocannon's per-connection client (lib/httpClient.js); its underscored methods are internal. */
  export interface AutocannonClient extends EventEmitter {
    conn: Socket;
    destroyed: boolean;
    reqsMade: number;
    getRequestBuffer(): Buffer;
    _doRequest(): void;
    _connect(): void;
    _destroyConnection(): void;
  }

  export interface AutocannonOptions {
    url: string;
    connections: number;
    pipelining: number;
    duration: number;
    /** Stop after this many requests instead of the duration. */
    amount?: number;
    timeout: number;
    sampleInt?: number;
    requests: AutocannonRequest[];
    setupClient?: (client: AutocannonClient) => void;
  }

  export interface AutocannonInstance extends EventEmitter {
    stop(): void;
  }

  function autocannon(options: AutocannonOptions, callback: (error: Error | null, result: unknown) => void): AutocannonInstance;
  export default autocannon;
}
