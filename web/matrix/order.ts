import type { Container } from "../../server/model/topology.ts";
import type { ReachModel } from "../reach/model.ts";
import type { MatrixOptions } from "../store.ts";
import { HOST_END } from "../store.ts";

/** One row (source) or column (target) of the matrix. */
export interface MatrixEnd {
  end: string;
  /** Container index; -1 for the host. */
  index: number;
  name: string;
  group: string;
  /** First end of its group: the matrix draws a group boundary before it. */
  groupStart: boolean;
}

const NO_PROJECT = "(no compose project)";
const NO_NETWORK = "(no network)";

/** The matrix's ends: the host first, then containers grouped (project or network) and sorted by name. */
export function orderEnds(model: ReachModel, options: MatrixOptions): MatrixEnd[] {
  const dir = options.sort === "asc" ? 1 : -1;
  const groupOf = (c: Container): string => {
    if (options.group === "project") return c.compose?.project ?? NO_PROJECT;
    if (options.group === "network") return c.interfaces[0]?.network ?? (c.networkMode || NO_NETWORK);
    return "";
  };
  const ends = model.topology.containers.map((c, index) => ({
    end: c.id,
    index,
    name: c.name,
    group: groupOf(c),
    groupStart: false,
  }));
  ends.sort((a, b) => {
    // Catch-all groups go last, named groups alphabetically, names by the chosen direction.
    const rank = (g: string): number => (g === NO_PROJECT || g === NO_NETWORK ? 1 : 0);
    return (
      rank(a.group) - rank(b.group) ||
      a.group.localeCompare(b.group) ||
      dir * a.name.localeCompare(b.name) ||
      a.index - b.index
    );
  });
  const host: MatrixEnd = { end: HOST_END, index: -1, name: HOST_END, group: "", groupStart: false };
  const out = [host, ...ends];
  for (let i = 1; i < out.length; i++)
    out[i].groupStart = options.group !== "none" && (i === 1 || out[i].group !== out[i - 1].group);
  return out;
}
