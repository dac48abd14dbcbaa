import { describe, expect, it } from "vitest";
import { extendService, mergeModels } from "../../../server/model/compose/index.ts";

const svc = (base: object, over: object) =>
  (mergeModels({ services: { s: base } }, { services: { s: over } }).services as Record<string, unknown>).s;

describe("mergeModels (compose merge rules)", () => {
  it("merges mappings key by key and lets scalars be overridden", () => {
    expect(svc({ image: "a", hostname: "h" }, { image: "b", container_name: "c" })).toEqual({
      image: "b",
      hostname: "h",
      container_name: "c",
    });
  });

  it("appends sequences, then makes ports and expose unique", () => {
    expect(svc({ ports: ["80:80", "443:443"] }, { ports: ["80:80", "8080:80"] })).toEqual({
      ports: ["80:80", "443:443", "8080:80"],
    });
    expect(svc({ expose: ["80", 81] }, { expose: [81, "82"] })).toEqual({ expose: ["80", 81, "82"] });
    expect(
      svc(
        { ports: [{ target: 80, published: 8080 }] },
        { ports: [{ target: 80, published: 8080, protocol: "tcp" }] },
      ),
    ).toEqual({
      ports: [{ target: 80, published: 8080, protocol: "tcp" }],
    });
  });

  it("merges service networks given as list or mapping, aliases unique", () => {
    expect(svc({ networks: ["front"] }, { networks: { back: { aliases: ["b"] } } })).toEqual({
      networks: { front: null, back: { aliases: ["b"] } },
    });
    expect(
      svc({ networks: { front: { aliases: ["x", "y"] } } }, { networks: { front: { aliases: ["y", "z"] } } }),
    ).toEqual({
      networks: { front: { aliases: ["x", "y", "z"] } },
    });
    expect(svc({ networks: { front: { aliases: ["x"] } } }, { networks: ["front"] })).toEqual({
      networks: { front: { aliases: ["x"] } },
    });
  });

  it("turns labels and environment into key=value sequences, later keys winning", () => {
    expect(svc({ labels: { a: "1", b: "2" } }, { labels: ["b=3", "c=4"] })).toEqual({
      labels: ["a=1", "b=3", "c=4"],
    });
    expect(svc({ environment: ["A=1"] }, { environment: { A: "2", B: null } })).toEqual({
      environment: ["A=2", "B"],
    });
  });

  it("overrides command, entrypoint and healthcheck.test instead of appending", () => {
    expect(
      svc(
        { command: ["a", "b"], healthcheck: { test: ["CMD", "x"], interval: "5s" } },
        { command: ["c"], healthcheck: { test: ["CMD", "y"] } },
      ),
    ).toEqual({
      command: ["c"],
      healthcheck: { test: ["CMD", "y"], interval: "5s" },
    });
  });

  it("merges ipam config by subnet and network labels as sequences", () => {
    const merged = mergeModels(
      { networks: { n: { ipam: { config: [{ subnet: "10.0.0.0/24" }] }, labels: { a: "1" } } } },
      {
        networks: {
          n: {
            ipam: { config: [{ subnet: "10.0.0.0/24", gateway: "10.0.0.254" }, { subnet: "10.0.1.0/24" }] },
            labels: ["b=2"],
          },
        },
      },
    );
    expect(merged.networks).toEqual({
      n: {
        ipam: { config: [{ subnet: "10.0.0.0/24", gateway: "10.0.0.254" }, { subnet: "10.0.1.0/24" }] },
        labels: ["a=1", "b=2"],
      },
    });
  });

  it("keeps the base when the override is null, replaces x- extensions whole, adds new services", () => {
    const merged = mergeModels(
      {
        "x-common": { a: 1, b: 2 },
        services: { web: { image: "a" } },
        networks: { n: { driver: "bridge" } },
      },
      { "x-common": { c: 3 }, services: { db: { image: "d" } }, networks: { n: null } },
    );
    expect(merged).toEqual({
      "x-common": { c: 3 },
      services: { web: { image: "a" }, db: { image: "d" } },
      networks: { n: { driver: "bridge" } },
    });
  });

  it("does not modify its arguments", () => {
    const base = { services: { s: { ports: ["80"] } } };
    mergeModels(base, { services: { s: { ports: ["81"] } } });
    expect(base).toEqual({ services: { s: { ports: ["80"] } } });
  });

  it("extendService applies the same rules with the extending service on top", () => {
    expect(
      extendService(
        { image: "base", ports: ["80"], networks: ["a"] },
        { ports: ["81"], networks: { b: null } },
      ),
    ).toEqual({
      image: "base",
      ports: ["80", "81"],
      networks: { a: null, b: null },
    });
  });
});
