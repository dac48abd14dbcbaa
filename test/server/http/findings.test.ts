import { afterEach, describe, expect, it } from "vitest";
import { fleetTopology } from "../../../server/example/fleet.ts";
import { staticFeed } from "../../../server/feed/feed.ts";
import type { FindingsResponse } from "../../../server/http/findings-route.ts";
import type { RunningServer } from "../../../server/http/server.ts";
import { startServer } from "../../../server/http/server.ts";
import { consistencyFindings } from "../../../server/model/fleet/consistency.ts";
import { loadFleetRecording } from "../../support/recording.ts";

let servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

const recorded = (scenario: string) => {
  const { recording, manifest } = loadFleetRecording(scenario);
  return fleetTopology(recording, { kind: "snapshot", label: scenario, capturedAt: manifest.recordedAt });
};

describe("GET /api/findings", () => {
  it("serves the consistency findings of the topology served (CS-2, CS-5 on the recorded gossip cut)", async () => {
    const topology = recorded("consistency-gossip");
    const server = await startServer({ port: 0, feed: staticFeed(topology) });
    servers.push(server);
    const res = await fetch(`${server.url}/api/findings`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as FindingsResponse;
    expect(body.capturedAt).toBe(topology.source.capturedAt);
    expect(body.findings).toEqual(consistencyFindings(topology));
    expect(body.findings.map((f) => f.rule).sort()).toEqual(["CS-2", "CS-5"]);
  });

  it("is empty on a healthy swarm", async () => {
    const server = await startServer({ port: 0, feed: staticFeed(recorded("swarm")) });
    servers.push(server);
    expect(((await (await fetch(`${server.url}/api/findings`)).json()) as FindingsResponse).findings).toEqual(
      [],
    );
  });
});
