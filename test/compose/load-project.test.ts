import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadComposeProject } from "../../server/compose/index.ts";
import { removeTemp, tempProject } from "./temp-project.ts";

afterEach(removeTemp);

const load = (dir: string, options: Partial<Parameters<typeof loadComposeProject>[0]> = {}) =>
  loadComposeProject({ paths: [], env: {}, cwd: dir, ...options });
const services = async (dir: string, options: Partial<Parameters<typeof loadComposeProject>[0]> = {}) =>
  (await load(dir, options)).containers.map((c) => c.name);

describe("project name", () => {
  const file = { "compose.yaml": "services:\n  web:\n    image: busybox\n" };

  it("defaults to the normalised directory name", async () => {
    expect(await services(tempProject(file, "My Project.v2"))).toEqual(["myprojectv2-web-1"]);
  });

  it("takes name: (interpolated), then COMPOSE_PROJECT_NAME (shell or .env), then -p", async () => {
    const dir = tempProject({ "compose.yaml": "name: ${APP:-Shop}\n" + file["compose.yaml"] });
    expect(await services(dir)).toEqual(["shop-web-1"]);
    expect(await services(dir, { env: { APP: "Store" } })).toEqual(["store-web-1"]);
    expect(await services(dir, { env: { COMPOSE_PROJECT_NAME: "fromenv" } })).toEqual(["fromenv-web-1"]);
    expect(await services(dir, { env: { COMPOSE_PROJECT_NAME: "fromenv" }, projectName: "flag" })).toEqual([
      "flag-web-1",
    ]);
    const withDotenv = tempProject({ ...file, ".env": "COMPOSE_PROJECT_NAME=dotenv\n" });
    expect(await services(withDotenv)).toEqual(["dotenv-web-1"]);
  });

  it("rejects an invalid -p and sets COMPOSE_PROJECT_NAME for interpolation", async () => {
    const dir = tempProject(
      {
        "compose.yaml": "services:\n  web:\n    image: busybox\n    hostname: ${COMPOSE_PROJECT_NAME}-web\n",
      },
      "shop",
    );
    await expect(load(dir, { projectName: "Bad Name" })).rejects.toThrow('invalid project name "Bad Name"');
    expect((await load(dir)).containers[0].hostname).toBe("shop-web");
  });
});

describe(".env and interpolation", () => {
  it("reads .env from the project directory; the shell environment wins", async () => {
    const dir = tempProject({
      ".env": "IMAGE=from-dotenv\nPORT=8080\n",
      "compose.yaml": "services:\n  web:\n    image: ${IMAGE}\n    ports: ['${PORT}:80']\n",
    });
    const t = await load(dir, { env: { PORT: "9090" } });
    expect(t.containers[0].image).toBe("from-dotenv");
    expect(t.containers[0].ports[0].publicPort).toBe(9090);
  });

  it("points at the value whose required variable is missing", async () => {
    const dir = tempProject({ "compose.yaml": "services:\n  web:\n    image: ${IMAGE:?set IMAGE}\n" });
    await expect(load(dir)).rejects.toThrow(
      "compose.yaml:3:12: services.web.image: required variable IMAGE is missing a value: set IMAGE",
    );
  });

  it("reports a bad .env line with its position", async () => {
    const dir = tempProject({
      ".env": "OK=1\nNOT VALID\n",
      "compose.yaml": "services:\n  web:\n    image: x\n",
    });
    await expect(load(dir)).rejects.toThrow('.env:2:1: unexpected character in variable name "NOT VALID"');
  });
});

describe("profiles", () => {
  const dir = () =>
    tempProject({
      "compose.yaml":
        "services:\n  web:\n    image: x\n  debug:\n    image: x\n    profiles: [debug]\n  metrics:\n    image: x\n    profiles: [ops, monitoring]\n",
    });

  it("enables profiles from --profile, else COMPOSE_PROFILES", async () => {
    const d = dir();
    expect(await services(d)).toEqual(["myproject-web-1"]);
    expect(await services(d, { profiles: ["debug"] })).toEqual(["myproject-debug-1", "myproject-web-1"]);
    expect(await services(d, { env: { COMPOSE_PROFILES: "monitoring,debug" } })).toHaveLength(3);
    expect(await services(d, { env: { COMPOSE_PROFILES: "debug" }, profiles: ["ops"] })).toEqual([
      "myproject-metrics-1",
      "myproject-web-1",
    ]);
  });
});

describe("several -f files", () => {
  it("merges in order and reports an error in the file that has it", async () => {
    const dir = tempProject({
      "base.yaml": "services:\n  web:\n    image: a\n    networks: [front]\nnetworks:\n  front: {}\n",
      "prod.yaml":
        "services:\n  web:\n    image: b\n    networks:\n      back:\n        aliases: [www]\nnetworks:\n  back:\n    internal: true\n",
      "broken.yaml": "services:\n  web:\n    ports:\n      - 80:80:80:80:x\n",
    });
    const t = await load(dir, { paths: ["base.yaml", "prod.yaml"] });
    expect(t.containers[0].image).toBe("b");
    expect(t.containers[0].interfaces.map((i) => [i.network, i.aliases])).toEqual([
      ["myproject_back", ["myproject-web-1", "web", "www"]],
      ["myproject_front", ["myproject-web-1", "web"]],
    ]);
    expect(t.source.label).toBe("base.yaml, prod.yaml");
    await expect(load(dir, { paths: ["base.yaml", "broken.yaml"] })).rejects.toThrow(
      /^broken\.yaml:4:9: services\.web\.ports\[0\] is not a valid port/,
    );
  });

  it("locates a problem found after merging in the file that defines it", async () => {
    const dir = tempProject({
      "a.yaml": "services:\n  web:\n    image: a\n",
      "b.yaml": "services:\n  web:\n    networks: [missing]\n",
    });
    await expect(load(dir, { paths: ["a.yaml", "b.yaml"] })).rejects.toThrow(
      "b.yaml:3:16: services.web.networks: missing is not defined in the top-level networks",
    );
  });
});

describe("extends", () => {
  it("extends a service of the same file and of another file, recursively", async () => {
    const dir = tempProject({
      "common.yaml":
        "services:\n  base:\n    image: common\n    networks: [shared]\n    depends_on: [x]\n  x:\n    image: x\n",
      "compose.yaml": [
        "services:",
        "  mid:",
        "    extends: { file: common.yaml, service: base }",
        "    ports: ['80:80']",
        "  web:",
        "    extends: mid",
        "    networks: [own]",
        "networks:",
        "  shared: {}",
        "  own: {}",
        "",
      ].join("\n"),
    });
    const t = await load(dir);
    const web = t.containers.find((c) => c.compose?.service === "web");
    expect(web?.image).toBe("common");
    expect(web?.interfaces.map((i) => i.network)).toEqual(["myproject_own", "myproject_shared"]);
    expect(web?.ports.map((p) => p.publicPort)).toEqual([80, 80]);
    expect(t.containers.map((c) => c.compose?.service)).toEqual(["mid", "web"]);
  });

  it("reports a missing base service, a missing file and a cycle", async () => {
    const missing = tempProject({ "compose.yaml": "services:\n  web:\n    extends: nope\n" });
    await expect(load(missing)).rejects.toThrow(
      'compose.yaml:3:14: services.web.extends: cannot extend service "nope": no such service in compose.yaml',
    );
    const noFile = tempProject({
      "compose.yaml": "services:\n  web:\n    extends:\n      file: gone.yaml\n      service: a\n",
    });
    await expect(load(noFile)).rejects.toThrow("compose.yaml:4:13: gone.yaml: no such file");
    const cycle = tempProject({ "compose.yaml": "services:\n  a:\n    extends: b\n  b:\n    extends: a\n" });
    await expect(load(cycle)).rejects.toThrow("services.a.extends: circular reference: a -> b -> a");
  });
});

describe("include", () => {
  it("adds an included project's services and networks, interpolated with its own .env", async () => {
    const dir = tempProject({
      "compose.yaml":
        "include:\n  - db/compose.yaml\nservices:\n  web:\n    image: web\n    networks: [data]\n",
      "db/compose.yaml":
        "services:\n  db:\n    image: ${DB_IMAGE}\n    networks: [data]\nnetworks:\n  data:\n    internal: true\n",
      "db/.env": "DB_IMAGE=postgres\n",
    });
    const t = await load(dir);
    expect(t.containers.map((c) => [c.name, c.image])).toEqual([
      ["myproject-db-1", "postgres"],
      ["myproject-web-1", "web"],
    ]);
    expect(t.networks.find((n) => n.name === "myproject_data")?.internal).toBe(true);
  });

  it("rejects a service defined both by the file and by what it includes, and include cycles", async () => {
    const conflict = tempProject({
      "compose.yaml": "include:\n  - other.yaml\nservices:\n  web:\n    image: a\n",
      "other.yaml": "services:\n  web:\n    image: b\n",
    });
    await expect(load(conflict)).rejects.toThrow(
      "compose.yaml:2:5: include: other.yaml defines services.web, which compose.yaml also defines",
    );
    const cycle = tempProject({
      "compose.yaml": "include: [other.yaml]\n",
      "other.yaml": "include: [compose.yaml]\n",
    });
    await expect(load(cycle)).rejects.toThrow(/include: .*compose\.yaml includes itself/);
  });
});

describe("the version key and the CLI-facing label", () => {
  it("ignores version: and labels the source with the files as given", async () => {
    const dir = tempProject({ "compose.yaml": "version: '2.4'\nservices:\n  web:\n    image: x\n" });
    const t = await load(dir, { paths: [join(dir, "compose.yaml")], cwd: dir });
    expect(t.source.kind).toBe("compose");
    expect(t.source.label).toBe("compose.yaml");
    expect(t.containers).toHaveLength(1);
  });
});
