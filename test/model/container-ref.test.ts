import { afterEach, describe, expect, it } from "vitest";
import { loadComposeProject } from "../../server/compose/index.ts";
import { exampleTopology } from "../../server/example/example.ts";
import {
  AmbiguousContainerError,
  resolveContainerRef,
  UnknownContainerError,
} from "../../server/model/container-ref.ts";
import type { Topology } from "../../server/model/topology.ts";
import { removeTemp, tempProject } from "../compose/temp-project.ts";

afterEach(removeTemp);

const nameOf = (t: Topology, ref: string) => t.containers[resolveContainerRef(t.containers, ref)].name;

describe("container references as people type them (recorded example engine)", () => {
  const demo = exampleTopology();
  const web2 = demo.containers.find((c) => c.name === "rgt-demo-shop-web-2");

  it.each([
    ["rgt-demo-api", "rgt-demo-api"],
    ["/rgt-demo-api", "rgt-demo-api"],
    ["web", "rgt-demo-shop-web-1"],
    ["web-2", "rgt-demo-shop-web-2"],
    ["rgt-demo-shop-web", "rgt-demo-shop-web-1"],
    ["rgt-demo-shop-web-2", "rgt-demo-shop-web-2"],
    ["db", "rgt-demo-shop-db-1"],
  ])("%s is %s", (ref, expected) => {
    expect(nameOf(demo, ref)).toBe(expected);
  });

  it("takes a full ID, a 12-hex short ID and a unique shorter prefix", () => {
    const id = web2?.id ?? "";
    expect(nameOf(demo, id)).toBe("rgt-demo-shop-web-2");
    expect(nameOf(demo, id.slice(0, 12))).toBe("rgt-demo-shop-web-2");
    expect(nameOf(demo, id.slice(0, 8))).toBe("rgt-demo-shop-web-2");
  });

  it("never takes a one-off `compose run` container for its service", () => {
    const run = demo.containers.find((c) => c.compose?.oneoff);
    expect(run?.name).toBe("rgt-demo-shop-web-run-1");
    expect(nameOf(demo, "web")).not.toBe(run?.name);
  });

  it("answers a miss with the closest names", () => {
    expect(() => resolveContainerRef(demo.containers, "api")).toThrow(
      /unknown container "api": expected .*; did you mean "rgt-demo-api"\?$/,
    );
    expect(() => resolveContainerRef(demo.containers, "rgt-demo-apj")).toThrow(/did you mean "rgt-demo-api"/);
    const miss = (() => {
      try {
        resolveContainerRef(demo.containers, "zzzzzzzz-nothing");
      } catch (error) {
        return error;
      }
    })();
    expect(miss).toBeInstanceOf(UnknownContainerError);
    expect((miss as UnknownContainerError).suggestions).toEqual([]);
    expect((miss as Error).message).not.toContain("did you mean");
  });
});

describe("compose services in a prediction", () => {
  it("resolves service, project-service and service-N, and refuses a service two projects share", async () => {
    const dir = tempProject({
      "compose.yaml":
        "name: shop\nservices:\n  web:\n    image: busybox\n    scale: 3\n  db:\n    image: busybox\n",
    });
    const shop = await loadComposeProject({ paths: [], env: {}, cwd: dir });
    expect(nameOf(shop, "web")).toBe("shop-web-1");
    expect(nameOf(shop, "web-3")).toBe("shop-web-3");
    expect(nameOf(shop, "shop-web-2")).toBe("shop-web-2");
    expect(nameOf(shop, "shop-db")).toBe("shop-db-1");
    expect(() => resolveContainerRef(shop.containers, "web-4")).toThrow(/did you mean "web"/);

    const other = await loadComposeProject({ paths: [], env: {}, cwd: dir, projectName: "blog" });
    const both = [...shop.containers, ...other.containers];
    expect(() => resolveContainerRef(both, "db")).toThrow(AmbiguousContainerError);
    expect(() => resolveContainerRef(both, "db")).toThrow(/did you mean "shop-db", "blog-db"\?/);
    expect(both[resolveContainerRef(both, "blog-db")].name).toBe("blog-db-1");
  });
});
