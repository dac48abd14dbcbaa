import Docker from "dockerode";
import type { EngineConnection } from "./connection.ts";
import { describeCause, EngineError } from "./engine-error.ts";
import { PROBE_LABEL } from "../model/probe-labels.ts";

export interface HelperSpec {
  name: string;
  image: string;
  /** `container:<id>` (join the source's namespace) or `host`. */
  networkMode: string;
  command: string[];
  labels: Record<string, string>;
}

export interface HelperInfo {
  id: string;
  name: string;
  state: string;
  labels: Record<string, string>;
}

/**
 * The narrow, writing view of an engine that probes need: one short-lived helper container at a time.
 * Kept apart from the read-only {@link import("./client.ts").EngineClient} so collection never needs write access.
 */
export interface ProbeEngine {
  readonly url: string;
  /** `GET /images/{ref}/json`; false when the image is absent (404). */
  imageExists(ref: string): Promise<boolean>;
  /** `POST /containers/create`; resolves with the ID. */
  createHelper(spec: HelperSpec): Promise<string>;
  /** `POST /containers/{id}/start`. */
  startHelper(id: string): Promise<void>;
  /** `POST /containers/{id}/wait`; resolves with the exit code. Rejects when `signal` aborts. */
  waitHelper(id: string, signal: AbortSignal): Promise<number>;
  /** `GET /containers/{id}/logs`, demultiplexed. */
  helperLogs(id: string): Promise<{ stdout: string; stderr: string }>;
  /** `DELETE /containers/{ref}?force=1&v=0`; resolves when it is gone, also when it never existed (404). */
  removeHelper(ref: string): Promise<void>;
  /** `GET /containers/json?all=1` filtered by the probe label. */
  listHelpers(): Promise<HelperInfo[]>;
  /**
   * `POST /containers/create` without a container config, which an engine rejects (400) before creating anything.
   * Resolves when the write reached the engine; rejects with {@link EngineWriteRefusedError} when something in
   * front of it (a read-only socket proxy) refused it.
   */
  checkWriteAccess(): Promise<void>;
}

/** A write that never reached the engine: refused with 403/405, as a GET-only socket proxy does. */
export class EngineWriteRefusedError extends EngineError {
  constructor(url: string, request: string, cause: unknown) {
    const status = (cause as { statusCode?: number }).statusCode;
    super(
      `the engine at ${url} refused ${request} (${status}): a read-only socket proxy in front of it? ` +
        "probes need write access to the engine's own socket",
      cause,
    );
    this.name = "EngineWriteRefusedError";
  }
}

/** Statuses a socket proxy answers for a method or path it does not pass; an engine never answers them here. */
const REFUSED = new Set([403, 405]);

/** Creates the dockerode-backed probe engine; with client.ts, the only module that talks to dockerode. */
export function createProbeEngine(connection: EngineConnection, timeoutMs = 30_000): ProbeEngine {
  // No client-wide timeout: `wait` blocks for the helper's lifetime; each call below bounds itself.
  const docker = new Docker({ ...connection.options });
  const url = connection.url;
  const call = async <T>(what: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      // Not every dockerode call honours abortSignal (image inspect does not): race the timer as well.
      return await Promise.race([run(signal), aborted(signal, `timed out after ${timeoutMs} ms`)]);
    } catch (cause) {
      throw new EngineError(`${what} on ${url} failed: ${describeCause(cause)}`, cause);
    }
  };
  return {
    url,
    imageExists: async (ref) => {
      try {
        await call(`inspecting image ${ref}`, (abortSignal) =>
          docker.getImage(ref).inspect({ abortSignal } as object),
        );
        return true;
      } catch (error) {
        if (error instanceof EngineError && error.statusCode === 404) return false;
        throw error;
      }
    },
    createHelper: (spec) =>
      call(`creating probe helper ${spec.name}`, async (abortSignal) => {
        // docker-modem puts every option in the query string unless told apart: only the name goes in the
        // URL, the script travels in the body (a proxy with a 16 kB header limit answers 431 otherwise).
        const container = await docker.createContainer({
          _query: { name: spec.name },
          _body: {
            Image: spec.image,
            Cmd: spec.command,
            Labels: spec.labels,
            AttachStdout: false,
            AttachStderr: false,
            HostConfig: {
              NetworkMode: spec.networkMode,
              // Logs are how results come back; json-file can always be read back.
              LogConfig: { Type: "json-file", Config: {} },
              AutoRemove: false,
            },
          },
          abortSignal,
        } as unknown as Docker.ContainerCreateOptions);
        return container.id;
      }),
    startHelper: (id) =>
      call(`starting probe helper ${id}`, async (abortSignal) => {
        await docker.getContainer(id).start({ abortSignal } as object);
      }),
    waitHelper: async (id, signal) => {
      try {
        const out = (await docker.getContainer(id).wait({ abortSignal: signal } as object)) as {
          StatusCode: number;
        };
        return out.StatusCode;
      } catch (cause) {
        throw new EngineError(
          `waiting for probe helper ${id} on ${url} failed: ${describeCause(cause)}`,
          cause,
        );
      }
    },
    helperLogs: (id) =>
      call(`reading logs of probe helper ${id}`, async (abortSignal) => {
        const raw = (await docker
          .getContainer(id)
          .logs({ stdout: true, stderr: true, follow: false, abortSignal } as object)) as unknown as Buffer;
        return demultiplex(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)));
      }),
    removeHelper: async (ref) => {
      try {
        await call(`removing probe helper ${ref}`, (abortSignal) =>
          // Never the volumes: a helper has none, and a container that is not a helper keeps its own.
          docker.getContainer(ref).remove({ force: true, v: false, abortSignal } as object),
        );
      } catch (error) {
        if (error instanceof EngineError && error.statusCode === 404) return;
        // 409 "removal already in progress": another sweep got there first.
        if (error instanceof EngineError && error.statusCode === 409) return;
        throw error;
      }
    },
    listHelpers: () =>
      call("listing probe helpers", async (abortSignal) => {
        const list = await docker.listContainers({
          all: true,
          filters: JSON.stringify({ label: [`${PROBE_LABEL}=1`] }),
          abortSignal,
        } as Docker.ContainerListOptions);
        return list.map((c) => ({
          id: c.Id,
          name: (c.Names[0] ?? "").replace(/^\//, ""),
          state: c.State,
          labels: c.Labels ?? {},
        }));
      }),
    checkWriteAccess: async () => {
      try {
        // A HostConfig and no Config: the engine answers 400 "Config cannot be empty" and creates nothing.
        // (A body is needed: dockerode sends none for `{}`, which the engine answers with 500 EOF.)
        await call("checking write access", (abortSignal) =>
          docker.createContainer({ HostConfig: {}, abortSignal } as Docker.ContainerCreateOptions),
        );
      } catch (error) {
        const status = error instanceof EngineError ? error.statusCode : undefined;
        if (status === 400) return;
        if (status !== undefined && REFUSED.has(status))
          throw new EngineWriteRefusedError(url, "POST /containers/create", (error as EngineError).cause);
        throw error;
      }
      throw new EngineError(
        `checking write access on ${url}: the engine accepted an empty config`,
        undefined,
      );
    },
  };
}

function aborted(signal: AbortSignal, message: string): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(new Error(message));
    if (signal.aborted) fail();
    else signal.addEventListener("abort", fail, { once: true });
  });
}

/** Splits the engine's multiplexed log stream (8-byte frame headers; stream 1 stdout, 2 stderr). */
export function demultiplex(raw: Buffer): { stdout: string; stderr: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let at = 0;
  while (at + 8 <= raw.length) {
    const stream = raw[at];
    const size = raw.readUInt32BE(at + 4);
    if (stream > 2 || raw[at + 1] !== 0 || raw[at + 2] !== 0 || raw[at + 3] !== 0) {
      // Not multiplexed (a TTY helper): the bytes are the output.
      return { stdout: raw.toString("utf8"), stderr: "" };
    }
    (stream === 2 ? err : out).push(raw.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return { stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
}
