import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { discoverInDirectory, discoverUpwards, loadComposeProject } from "../../server/compose/index.ts";
import { removeTemp, tempProject } from "./temp-project.ts";

afterEach(removeTemp);

const svc = (name: string) => `services:\n  ${name}:\n    image: busybox\n`;
const names = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];

describe("compose file discovery", () => {
  it("prefers compose.yaml, then compose.yml, docker-compose.yml, docker-compose.yaml (compose-go order)", () => {
    for (let i = 0; i < names.length; i++) {
      const files = Object.fromEntries(names.slice(i).map((n) => [n, svc(n.replace(/\W/g, ""))]));
      const dir = tempProject(files);
      expect(discoverInDirectory(dir)).toEqual([join(dir, names[i])]);
    }
  });

  it("adds the first override file beside the main file", () => {
    const dir = tempProject({
      "compose.yaml": svc("a"),
      "compose.override.yaml": svc("b"),
      "docker-compose.override.yml": svc("c"),
    });
    expect(discoverInDirectory(dir)).toEqual([join(dir, "compose.yaml"), join(dir, "compose.override.yaml")]);
  });

  it("finds none in an empty directory, and walks up from a subdirectory like compose without -f", () => {
    const dir = tempProject({ "compose.yaml": svc("a"), "sub/deeper/readme.txt": "" });
    expect(discoverInDirectory(join(dir, "sub"))).toBeNull();
    expect(discoverUpwards(join(dir, "sub/deeper"))).toEqual([join(dir, "compose.yaml")]);
  });

  it("loads a directory argument with its override merged, and discovers from cwd with no paths", async () => {
    const dir = tempProject({
      "compose.yaml": "services:\n  web:\n    image: busybox\n    ports: ['80:80']\n",
      "compose.override.yml": "services:\n  web:\n    ports: ['81:81']\n",
    });
    const viaDir = await loadComposeProject({ paths: [dir], env: {}, cwd: "/" });
    const viaCwd = await loadComposeProject({ paths: [], env: {}, cwd: dir });
    for (const t of [viaDir, viaCwd])
      expect(t.containers[0].ports.map((p) => `${p.publicPort}:${p.privatePort}`)).toEqual([
        "80:80",
        "80:80",
        "81:81",
        "81:81",
      ]);
    expect(viaCwd.source.label).toBe("compose.yaml, compose.override.yml");
  });

  it("reads COMPOSE_FILE (with COMPOSE_PATH_SEPARATOR) when no paths are given", async () => {
    const dir = tempProject({ "a.yaml": svc("a"), "b.yaml": svc("b"), "compose.yaml": svc("ignored") });
    const t = await loadComposeProject({
      paths: [],
      env: { COMPOSE_FILE: "a.yaml;b.yaml", COMPOSE_PATH_SEPARATOR: ";" },
      cwd: dir,
    });
    expect(t.containers.map((c) => c.compose?.service)).toEqual(["a", "b"]);
  });

  it("says what it looked for when there is no compose file", async () => {
    const dir = tempProject({ "readme.txt": "" });
    await expect(loadComposeProject({ paths: [dir], env: {}, cwd: dir })).rejects.toThrow(
      `no compose file in ${dir} (looked for compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml)`,
    );
    await expect(loadComposeProject({ paths: ["missing.yaml"], env: {}, cwd: dir })).rejects.toThrow(
      "missing.yaml: no such file or directory",
    );
  });
});
