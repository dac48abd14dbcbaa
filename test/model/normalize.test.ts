import { describe, expect, it } from "vitest";
import type { ApiContainerSummary, ApiNetwork } from "../../server/model/engine-api.ts";
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
