import { isIP } from "node:net";
import { z } from "zod";

/** Parses `--port`: a whole number from 0 (any free port) to 65535. */
export function parsePort(value: string): number {
  const port = z.coerce.number().int().min(0).max(65535).safeParse(value);
  if (!/^\d+$/.test(value) || !port.success) {
    throw new UsageError(`--port: "${value}" is not a port; expected a whole number from 0 to 65535`);
  }
  return port.data;
}

/** Parses `--host`: an IP address or `localhost`. */
export function parseHost(value: string): string {
  if (value === "localhost" || isIP(value)) return value;
  throw new UsageError(
    `--host: "${value}" is not an address to bind; expected an IP address such as 127.0.0.1 or 0.0.0.0`,
  );
}

/** A mistake in what the user typed: printed as one line, never with a stack trace. */
export class UsageError extends Error {
  override name = "UsageError";
}
