/** What one client, or everyone together, may ask of the server; a request over a limit gets a clear error. */
export interface HttpLimits {
  /** Open event streams (`GET /api/events`) in total. */
  eventStreams: number;
  /** Open event streams from one remote address. */
  eventStreamsPerClient: number;
  /** Bytes a stream may fall behind beyond its first snapshot before the client is dropped. */
  eventBacklogBytes: number;
  /** Bytes of a request body, after decompression. */
  bodyBytes: number;
  /** Sources in one `POST /api/probes`. */
  probeSources: number;
  /** Targets in one `POST /api/probes`. */
  probeTargets: number;
}

export const DEFAULT_LIMITS: HttpLimits = {
  eventStreams: 256,
  eventStreamsPerClient: 16,
  eventBacklogBytes: 1024 * 1024,
  bodyBytes: 64 * 1024,
  probeSources: 16,
  probeTargets: 256,
};
