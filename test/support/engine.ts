import { request } from "node:http";

/** The engine the integration tests and the recorder use; the CI machine is provisioned to have it. */
export const ENGINE_SOCKET = "/var/run/docker.sock";
export const ENGINE_URL = `unix://${ENGINE_SOCKET}`;
export const API_VERSION = "v1.41";

export interface RawResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body exactly as the engine sent it. */
  body: string;
}

/** One request to the engine over its unix socket, returning the raw bytes (no dockerode in between). */
export function engineRequest(
  method: string,
  path: string,
  body?: unknown,
  socketPath = ENGINE_SOCKET,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        socketPath,
        method,
        path,
        headers: payload
          ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }
          : {},
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            statusCode: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${path} on unix://${socketPath} timed out`)));
    req.on("error", reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** Same as {@link engineRequest}, but throws unless the status is 2xx and parses the JSON body. */
export async function engineJson<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await engineRequest(method, path, body);
  if (res.statusCode < 200 || res.statusCode >= 300) {
    throw new Error(`${method} ${path} on ${ENGINE_URL} answered ${res.statusCode}: ${res.body.trim()}`);
  }
  return JSON.parse(res.body) as T;
}

/**
 * Fails (never skips) when there is no engine: integration tests are only meaningful against a real one.
 * Call it first in `beforeAll`.
 */
export async function requireEngine(socketPath = ENGINE_SOCKET): Promise<void> {
  let reason: string;
  try {
    const res = await engineRequest("GET", "/_ping", undefined, socketPath);
    if (res.statusCode === 200 && res.body === "OK") return;
    reason = `GET /_ping answered ${res.statusCode} ${JSON.stringify(res.body.slice(0, 200))}`;
  } catch (cause) {
    reason = (cause as Error).message;
  }
  throw new Error(
    `no Docker engine at unix://${socketPath}: ${reason} — run \`sudo bash scripts/provision-engine.sh\``,
  );
}
