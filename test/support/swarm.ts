import { CommandError, docker, run } from "./docker-cli.ts";
import { IP } from "./cleanup.ts";

/**
 * Overlay networks need a swarm. Initialises a single-node one when the engine has none and keeps it
 * (CI machines are fresh; see §0.1). Idempotent and safe when parallel test files race for it.
 */
export async function ensureSwarm(): Promise<void> {
  const state = async () => (await docker("info", "--format", "{{.Swarm.LocalNodeState}}")).trim();
  if ((await state()) === "active") return;
  const attempts: string[][] = [[], ["--advertise-addr", "127.0.0.1"]];
  const address = (await run(IP, ["-4", "-o", "addr", "show", "scope", "global"]).catch(() => ""))
    .split("\n")
    .map((l) => /inet (\d+\.\d+\.\d+\.\d+)/.exec(l)?.[1])
    .find(Boolean);
  if (address) attempts.push(["--advertise-addr", address]);
  const errors: string[] = [];
  for (const extra of attempts) {
    try {
      await docker("swarm", "init", ...extra);
      return;
    } catch (error) {
      if ((await state()) === "active") return;
      errors.push(error instanceof CommandError ? error.stderr.trim() : String(error));
    }
  }
  throw new Error(`docker swarm init failed on ${address ?? "every address"}: ${errors.join("; ")}`);
}
