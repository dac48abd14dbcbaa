import { describe, expect, it } from "vitest";
import {
  normalizeProjectName,
  projectNameProblem,
  resolveProjectName,
} from "../../../server/model/compose/index.ts";

describe("normalizeProjectName (compose-go NormalizeProjectName)", () => {
  it.each([
    ["myapp", "myapp"],
    ["MyApp", "myapp"],
    ["my app", "myapp"],
    ["my.app", "myapp"],
    ["my_app-2", "my_app-2"],
    ["_leading", "leading"],
    ["--_x", "x"],
    ["Été 2024", "t2024"],
    ["...", ""],
    ["1st", "1st"],
  ])("%j -> %j", (input, expected) => {
    expect(normalizeProjectName(input)).toBe(expected);
  });
});

describe("resolveProjectName precedence", () => {
  it("prefers -p, then COMPOSE_PROJECT_NAME, then name:, then the directory", () => {
    const all = { flag: "flag", env: "env", fromFiles: "file", directory: "dir" };
    expect(resolveProjectName(all)).toEqual({ name: "flag" });
    expect(resolveProjectName({ ...all, flag: undefined })).toEqual({ name: "env" });
    expect(resolveProjectName({ ...all, flag: undefined, env: undefined })).toEqual({ name: "file" });
    expect(resolveProjectName({ directory: "My Dir" })).toEqual({ name: "mydir" });
  });

  it("normalises names from files and directories but rejects invalid explicit ones", () => {
    expect(resolveProjectName({ fromFiles: "My.Project", directory: "d" })).toEqual({ name: "myproject" });
    expect(resolveProjectName({ flag: "My.Project", directory: "d" })).toEqual({
      problem:
        'invalid project name "My.Project": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number',
    });
    expect(resolveProjectName({ env: "-x", directory: "d" })).toHaveProperty("problem");
  });

  it("fails when nothing gives a usable name", () => {
    expect(resolveProjectName({ directory: "___" })).toHaveProperty("problem");
    expect(projectNameProblem("")).toBe("project name must not be empty");
    expect(projectNameProblem("ok-name_1")).toBeNull();
  });
});
