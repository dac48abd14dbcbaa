import { describe, expect, it } from "vitest";
import type { WhatIf } from "../../server/model/what-if/index.ts";
import { createStore } from "../../web/store.ts";
import { formatUrlState, parseUrlState } from "../../web/url-state.ts";

const WHAT_IFS: WhatIf[] = [
  { kind: "icc", network: "quiet", enabled: true },
  { kind: "internal", network: "vault", enabled: false },
  { kind: "connect", container: "web", network: "quiet", aliases: ["shop", "front"] },
  { kind: "connect", container: "web", network: "vault", aliases: [] },
  { kind: "disconnect", container: "quiet-a", network: "quiet" },
  { kind: "publish", container: "vault-app", hostPort: 18080, containerPort: 80 },
  {
    kind: "publish",
    container: "vault-app",
    hostPort: 8443,
    containerPort: 443,
    protocol: "tcp",
    hostIp: "127.0.0.1",
  },
];

describe("the URL holds the whole view", () => {
  it("writes the pair, the example and the what-ifs, and reads them back as they were", () => {
    const store = createStore();
    store.setPair({ from: "@host", to: "abc123" });
    store.select("abc123");
    store.setTab("matrix");
    store.setScope({ query: "web", networks: ["quiet"], focus: "abc123" });
    const qs = formatUrlState(store.get(), null, { example: "icc-internal", whatIfs: WHAT_IFS });
    const warnings: string[] = [];
    const back = parseUrlState(`?${qs}`, (m) => warnings.push(m));
    expect(warnings).toEqual([]);
    expect(back.pair).toEqual({ from: "@host", to: "abc123" });
    expect(back.example).toBe("icc-internal");
    expect(back.whatIfs).toEqual(WHAT_IFS);
    expect(back.selectedId).toBe("abc123");
    expect(back.tab).toBe("matrix");
    expect(back.scope).toMatchObject({ query: "web", networks: ["quiet"], focus: "abc123" });
  });

  it("ignores a what-if it cannot read, naming the parameter and the accepted forms", () => {
    const warnings: string[] = [];
    const back = parseUrlState("?wi=publish,web,99999,80&wi=icc,quiet,maybe&wi=icc,quiet,off", (m) =>
      warnings.push(m),
    );
    expect(back.whatIfs).toEqual([{ kind: "icc", network: "quiet", enabled: false }]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/\?wi=publish,web,99999,80: .*publish,CTR,HOSTPORT,PORT/);
  });

  it("holds a fleet's engine, node and service filters under the exports' option names", () => {
    const store = createStore();
    store.setScope({ engines: ["vm"], nodes: ["node2", "node3"], services: ["web"] });
    const qs = formatUrlState(store.get(), null);
    expect(new URLSearchParams(qs).getAll("node")).toEqual(["node2", "node3"]);
    const warnings: string[] = [];
    const back = parseUrlState(`?${qs}`, (m) => warnings.push(m));
    expect(warnings).toEqual([]);
    expect(back.scope).toEqual({ engines: ["vm"], nodes: ["node2", "node3"], services: ["web"] });
    parseUrlState("?node=a%20b", (m) => warnings.push(m));
    expect(warnings).toEqual(["reachgraph: ignoring ?node=a b: letters, digits and . _ - : @ / * only"]);
  });
});
