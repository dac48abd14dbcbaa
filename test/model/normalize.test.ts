import { describe, expect, it } from "vitest";
import type { ApiContainerInspect, ApiContainerSummary, ApiNetwork } from "../../server/model/engine-api.ts";
import { normalizeTopology } from "../../server/model/normalize.ts";
import { loadApiSample } from "../support/recording.ts";

const source = { kind: "live" as const, label: "api-samples", capturedAt: "2026-01-01T00:00:00.000Z" };
const containers = loadApiSample<ApiContainerSummary[]>("containers-list-all.json");
const networks = loadApiSample<ApiNetwork[]>("networks-list.json");
const topology = normalizeTopology(
  { info: {}, version: {}, containers, networks, containerDetails: new Map(), networkDetails: new Map() },
  source,
);

describe("normalizeTopology on recorded list responses", () => {
  it("gives a container that failed to start no endpoint, although the list keeps a stale IP (IV-1, §1.1)", () => {
    const raw = containers.find((c) => c.Names.includes("/sem-ipv1"));
    expect(raw?.State).toBe("created");
    expect(Object.values(raw?.NetworkSettings?.Networks ?? {})[0]?.IPAddress).not.toBe("");
    const failed = topology.containers.find((c) => c.name === "sem-ipv1");
    expect(failed?.interfaces.map((i) => [i.network, i.ipv4, i.endpointId, i.dnsNames])).toEqual([
      ["sem-ipv", null, null, []],
    ]);
  });

  it("leaves names unknown (null) on DNS networks until inspected, and empty where there is no DNS (DB-2)", () => {
    const u1 = topology.containers.find((c) => c.name === "sem-u1");
    const d1 = topology.containers.find((c) => c.name === "sem-d1");
    expect(u1?.interfaces[0].dnsNames).toBeNull();
    expect(d1?.interfaces[0].dnsNames).toEqual([]);
  });
});

describe("start time of a container", () => {
  const inspect = (name: string) => loadApiSample<ApiContainerInspect>(`container-inspect-${name}.json`);
  const withDetails = (names: string[]) =>
    normalizeTopology(
      {
        info: {},
        version: {},
        containers,
        networks,
        containerDetails: new Map(names.map((n) => [inspect(n).Id, inspect(n)])),
        networkDetails: new Map(),
      },
      source,
    );

  it("carries State.StartedAt of a running container once inspected, so its age can be counted live", () => {
    const t = withDetails(["sem-u1", "sem-u2", "sem-created-never-started"]);
    const u1 = t.containers.find((c) => c.name === "sem-u1");
    expect(u1?.state).toBe("running");
    expect(u1?.startedAt).toBe(inspect("sem-u1").State?.StartedAt);
    // Not inspected: no start time is invented from the status text.
    expect(topology.containers.find((c) => c.name === "sem-u1")?.startedAt).toBeUndefined();
  });

  it("gives none to a stopped or never-started container (the engine's zero time is no start, §1.1)", () => {
    const t = withDetails(["sem-u1", "sem-u2", "sem-created-never-started"]);
    const stopped = t.containers.find((c) => c.name === "sem-u2");
    expect(stopped?.state).toBe("exited");
    expect(stopped?.startedAt).toBeUndefined();
    // The list and this inspect were recorded apart: listed running, inspected before its first start.
    const created = t.containers.find((c) => c.id === inspect("sem-created-never-started").Id);
    expect(inspect("sem-created-never-started").State?.StartedAt).toBe("0001-01-01T00:00:00Z");
    expect(created?.startedAt).toBeUndefined();
  });
});
