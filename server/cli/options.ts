import { readFile } from "node:fs/promises";
import { isIP } from "node:net";
import { InvalidArgumentError } from "commander";
import { parseToken } from "../http/access-token.ts";

/** Parses `--port`: a whole number from 0 (any free port) to 65535. */
export function parsePort(value: string): number {
  // Digits only, checked before Number(): "0x50", "1e3" and " 80" are not ports.
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(port <= 65535)) {
    throw new UsageError(`--port: "${value}" is not a port; expected a whole number from 0 to 65535`);
  }
  return port;
}

/** Parses `--host`: an IP address or `localhost`. */
export function parseHost(value: string): string {
  if (value === "localhost" || isIP(value)) return value;
  throw new UsageError(
    `--host: "${value}" is not an address to bind; expected an IP address such as 127.0.0.1 or 0.0.0.0`,
  );
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** Parses `--public-host`: a DNS name or an IP address browsers use to reach the server. */
export function parsePublicHost(value: string): string {
  const lower = value.toLowerCase();
  if (isIP(lower) || HOST_NAME.test(lower)) return lower;
  throw new UsageError(
    `--public-host: "${value}" is not a host name; expected a DNS name such as myhost.example or an IP address`,
  );
}

/**
 * The access token the user chose: `REACHGRAPH_TOKEN` or the first line of `--token-file` (not both);
 * undefined when neither is given.
 */
export async function readChosenToken(
  env: string | undefined,
  tokenFile: string | undefined,
): Promise<string | undefined> {
  if (env !== undefined && tokenFile !== undefined)
    throw new UsageError("REACHGRAPH_TOKEN and --token-file both give an access token; use one of them");
  if (env !== undefined) return asUsage(() => parseToken(env, "REACHGRAPH_TOKEN"));
  if (tokenFile === undefined) return undefined;
  const text = await readFile(tokenFile, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`--token-file: ${tokenFile} cannot be read (${error.code ?? error.message})`);
  });
  return asUsage(() => parseToken(text.split("\n")[0], `--token-file ${tokenFile}`));
}

function asUsage<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** A mistake in what the user typed: printed as one line, never with a stack trace. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Adapts a parser to a commander option, so commander reports its message as the option's error. */
export const asOption = (parse: (v: string) => string | number) => (value: string) => {
  try {
    return parse(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};
