/**
 * An engine request failure, with the Engine API status code when there was one. Its own module, free of
 * dockerode, so code that only branches on failures (probe helpers, HTTP routes) does not load the client.
 */
export class EngineError extends Error {
  readonly statusCode: number | undefined;
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = "EngineError";
    this.statusCode = (cause as { statusCode?: number } | null)?.statusCode;
  }
}
