import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { spawn } from "node:child_process";
import { Agent } from "node:http";
import { Duplex } from "node:stream";

/** Where an `ssh://user@host:port` engine lives. */
export interface SshTarget {
  host: string;
  port?: number;
  user?: string;
}

/**
 * The ssh command line the docker CLI runs for an `ssh://` engine (cli/connhelper): the user's own OpenSSH
 * client, so ~/.ssh/config, keys, the agent and known_hosts apply exactly as for `docker --context`.
 * BatchMode: a server has no terminal to ask for a password or a new host key on, so it fails instead.
 */
export function sshCommand({ host, port, user }: SshTarget): string[] {
  return [
    "ssh",
    "-o",
    "ConnectTimeout=30",
    "-o",
    "BatchMode=yes",
    "-T",
    ...(user ? ["-l", user] : []),
    ...(port ? ["-p", String(port)] : []),
    "--",
    host,
    "docker",
    "system",
    "dial-stdio",
  ];
}

/**
 * An HTTP agent whose every connection is `ssh … docker system dial-stdio`: the remote docker CLI joins the
 * ssh session's stdio to its engine's socket. Idle connections are kept (and unref'd) for reuse, as an HTTP
 * keep-alive socket would be, so a collection does not pay an ssh handshake per request.
 */
export function sshAgent(target: SshTarget): Agent {
  const [command, ...args] = sshCommand(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  (agent as unknown as { createConnection: () => Duplex }).createConnection = () =>
    new SshStream(spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] }), target.host);
  return agent;
}

/** An ssh child's stdout and stdin as the socket Node's HTTP client expects (timeouts, ref/unref included). */
class SshStream extends Duplex {
  private stderr = "";
  private writeError: Error | undefined;
  private idleMs = 0;
  private idle: NodeJS.Timeout | undefined;

  constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    host: string,
  ) {
    super();
    child.stdout.on("data", (chunk: Buffer) => {
      this.touch();
      if (!this.push(chunk)) child.stdout.pause();
    });
    child.stderr.on(
      "data",
      (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-2_000)),
    );
    // Writing to an ssh that has given up fails with EPIPE; its exit status and last words say why.
    child.stdin.on("error", (error) => (this.writeError ??= error));
    child.on("error", (error) => this.destroy(new Error(`running ssh for ${host} failed`, { cause: error })));
    child.on("close", (code) => {
      if (this.destroyed) return;
      const said = this.stderr.trim().split("\n").pop();
      if (code !== 0)
        this.destroy(new Error(`ssh to ${host} exited with code ${code}${said ? `: ${said}` : ""}`));
      else if (this.writeError) this.destroy(this.writeError);
    });
  }

  override _read(): void {
    this.child.stdout.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.touch();
    // A failed write is not reported here: the child's close reports it, with ssh's own reason.
    this.child.stdin.write(chunk, (error) => (error ? undefined : done()));
  }

  override _final(done: () => void): void {
    this.child.stdin.end(done);
  }

  override _destroy(error: Error | null, done: (error: Error | null) => void): void {
    clearTimeout(this.idle);
    if (this.child.exitCode === null) this.child.kill();
    done(error);
  }

  setTimeout(ms: number, onTimeout?: () => void): this {
    if (onTimeout) this.once("timeout", onTimeout);
    this.idleMs = ms;
    this.touch();
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  /** A kept-alive idle connection must not hold a one-shot command open: unref the child and its pipes. */
  unref(): this {
    for (const handle of [this.child, this.child.stdin, this.child.stdout, this.child.stderr])
      (handle as { unref?: () => void }).unref?.();
    return this;
  }

  ref(): this {
    for (const handle of [this.child, this.child.stdin, this.child.stdout, this.child.stderr])
      (handle as { ref?: () => void }).ref?.();
    return this;
  }

  private touch(): void {
    clearTimeout(this.idle);
    if (this.idleMs > 0) this.idle = setTimeout(() => this.emit("timeout"), this.idleMs).unref();
  }
}
