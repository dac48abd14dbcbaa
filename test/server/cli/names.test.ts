import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const exec = promisify(execFile);
const cli = (...args: string[]) =>
  exec("node", ["bin/reachgraph", ...args], { timeout: 60_000 }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

describe("the CLI speaks the user's names", () => {
  it("explains a compose pair by service name, before anything runs", async () => {
    const r = await cli("why", "--compose", "examples/shop", "web", "db");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^shop-web-1 -> shop-db-1\n/);
    expect(r.stdout).toContain("Verdict: blocked");
    expect(r.stdout).toContain("$ docker network connect shop_back shop-web-1");
  });

  it("takes -p for the project name on every command with --compose", async () => {
    const why = await cli("why", "--compose", "examples/shop", "-p", "store", "web", "store-api");
    expect(why.code).toBe(0);
    expect(why.stdout).toMatch(/^store-web-1 -> store-api-1\n/);
    const matrix = await cli("matrix", "--compose", "examples/shop", "-p", "store");
    expect(matrix.code).toBe(0);
    expect(matrix.stdout).toContain("store-db-1");
  });

  it("offers the closest names on a miss, in one line", async () => {
    const r = await cli("why", "--demo", "api", "db");
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/^reachgraph: unknown container "api": .*did you mean "rgt-demo-api"\?$/),
    ]);
  });

  it("summarises a compose prediction, and prints its JSON with --json", async () => {
    const summary = await cli("compose", "examples/shop");
    expect(summary.code).toBe(0);
    expect(summary.stdout).toContain("project shop from examples/shop/compose.yaml (predicted, not running)");
    expect(summary.stdout).toMatch(
      /networks \(2\):\n {2}shop_back {2}bridge · internal\n {2}shop_front {2}bridge\n/,
    );
    expect(summary.stdout).toContain(
      "    network: shop_back (shop-api-1, api, orders) · shop_front (shop-api-1, api)",
    );
    expect(summary.stdout).toContain("    ports: 127.0.0.1:8080→80/tcp");
    expect(summary.stdout).toContain("blocked pairs (2):\n  shop-db-1 -> shop-web-1  [INT-2]");
    const json = await cli("compose", "examples/shop", "--json");
    expect(json.code).toBe(0);
    const topology = JSON.parse(json.stdout) as { schemaVersion: number; containers: { name: string }[] };
    expect(topology.schemaVersion).toBe(2);
    expect(topology.containers.map((c) => c.name).sort()).toEqual(["shop-api-1", "shop-db-1", "shop-web-1"]);
  });

  it("labels compose-predicted edges with the names that will resolve there, not 'no address'", async () => {
    const r = await cli("export", "--compose", "examples/shop", "--format", "mermaid", "--hide-system");
    expect(r.code).toBe(0);
    // Interface edges run hub → container, as the page draws them (server/model/graph).
    expect(r.stdout).toContain('n_shop_back ---|"api, orders"| c_shop_api_1');
    expect(r.stdout).toContain('n_shop_back ---|"db"| c_shop_db_1');
    expect(r.stdout).not.toContain("no address");
  });
});
