import type { Reachability, TopologyIndex } from "../model/reachability/index.ts";
import { computeReachability, indexTopology } from "../model/reachability/index.ts";
import type { Topology } from "../model/topology.ts";
import type { TopologyFeed } from "./feed.ts";

/** The reachability of a feed's current topology, computed once per topology version. */
export class ReachabilityCache {
  private key = "";
  private cached: { topology: Topology; index: TopologyIndex; reach?: Reachability } | undefined;

  constructor(private readonly feed: TopologyFeed) {}

  /** The current topology and its index (cheap; the matrix is computed only when asked for). */
  index(): { seq: number; topology: Topology; index: TopologyIndex } {
    const { seq, topology } = this.feed.current();
    const key = `${seq}|${topology.source.kind}|${topology.source.label}|${topology.source.capturedAt}`;
    if (!this.cached || key !== this.key) {
      this.cached = { topology, index: indexTopology(topology) };
      this.key = key;
    }
    return { seq, topology: this.cached.topology, index: this.cached.index };
  }

  reachability(): { seq: number; topology: Topology; reach: Reachability } {
    const { seq, topology, index } = this.index();
    const cached = this.cached as NonNullable<typeof this.cached>;
    cached.reach ??= computeReachability(index);
    return { seq, topology, reach: cached.reach };
  }
}
