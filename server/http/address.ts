/** Where `reachgraph serve` listens unless told otherwise: loopback only (safe by default). */
export const DEFAULT_PORT = 7357;
export const DEFAULT_HOST = "127.0.0.1";
