import { request } from "node:http";
import type { IncomingHttpHeaders } from "node:http";

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * One HTTP request with exactly the headers and bytes given (fetch forbids forging Host and adds its own),
 * as an attacker's client or a careless one would send it.
 */
export function send(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    /** A loopback source address other than 127.0.0.1: another client, as the server counts them. */
    localAddress?: string;
  } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? "GET",
        headers: options.headers ?? {},
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/** The JSON error an answer carries, checking it is JSON and says nothing about the server's insides. */
export function jsonError(answer: RawAnswer): string {
  if (!String(answer.headers["content-type"]).startsWith("application/json"))
    throw new Error(
      `expected a JSON answer, got ${answer.headers["content-type"]}: ${answer.body.slice(0, 200)}`,
    );
  const parsed = JSON.parse(answer.body) as { error?: unknown };
  if (typeof parsed.error !== "string") throw new Error(`no "error" in ${answer.body.slice(0, 200)}`);
  if (/\bat \S+ \(|node_modules|\.ts:\d+|<html/i.test(answer.body) || answer.body.includes(process.cwd()))
    throw new Error(`the answer leaks the server's insides: ${answer.body.slice(0, 300)}`);
  return parsed.error;
}
