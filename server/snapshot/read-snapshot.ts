import { readFile } from "node:fs/promises";
import type { ProbeReport } from "../model/probe-types.ts";
import { parseSnapshot, SnapshotError } from "../model/snapshot.ts";
import type { Topology } from "../model/topology.ts";

/** Reads and validates a snapshot (or bare topology) file; errors name the file and what was expected. */
export async function readSnapshotFile(file: string): Promise<{ topology: Topology; probes: ProbeReport[] }> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SnapshotError(
      `${file}: cannot be read (${code ?? (error as Error).message}); expected a snapshot written by "reachgraph snapshot --out"`,
    );
  }
  return parseSnapshot(text, file);
}
