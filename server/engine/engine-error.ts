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

/** A failure in a few words for an error message: the Engine API status, the system code, the engine's reason. */
export function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: string }).code;
    const status = (cause as { statusCode?: number }).statusCode;
    const reason = (cause as { json?: { message?: string } }).json?.message;
    return [status ? `HTTP ${status}` : "", code ?? "", reason ?? cause.message].filter(Boolean).join(" ");
  }
  return String(cause);
}

/** A mistake in how the user named an engine (a flag, DOCKER_HOST, a context): a usage error, exit code 2. */
export class EngineInputError extends Error {
  override name = "EngineInputError";
}
