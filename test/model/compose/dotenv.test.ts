import { describe, expect, it } from "vitest";
import { DotenvError, parseDotenv } from "../../../server/model/compose/index.ts";

describe("parseDotenv", () => {
  it("reads KEY=value lines, comments, export, quotes and expansion", () => {
    const text = [
      "# a comment",
      "",
      "IMAGE=busybox:latest",
      "export TAG=1.36",
      "REF=${IMAGE}-${TAG}",
      "SPACED = padded value   # trailing comment",
      "SINGLE='literal ${IMAGE} # not a comment'",
      'DOUBLE="line1\\nline2 ${TAG}"',
      "EMPTY=",
      "HASH=a#b",
      "FROM_OUTER=${OUTER:-none}",
      "DOLLAR=cost $5",
    ].join("\n");
    expect(parseDotenv(text, (n) => (n === "OUTER" ? "outer" : undefined))).toEqual({
      IMAGE: "busybox:latest",
      TAG: "1.36",
      REF: "busybox:latest-1.36",
      SPACED: "padded value",
      SINGLE: "literal ${IMAGE} # not a comment",
      DOUBLE: "line1\nline2 1.36",
      EMPTY: "",
      HASH: "a#b",
      FROM_OUTER: "outer",
      DOLLAR: "cost $5",
    });
  });

  it("takes a bare KEY from the outer environment", () => {
    expect(parseDotenv("HOME_DIR\nMISSING", (n) => (n === "HOME_DIR" ? "/home/x" : undefined))).toEqual({
      HOME_DIR: "/home/x",
    });
  });

  it("allows multi-line double-quoted values", () => {
    expect(parseDotenv('CERT="a\nb"\nNEXT=1')).toEqual({ CERT: "a\nb", NEXT: "1" });
  });

  it.each([
    ["BAD KEY=1", 1, 'unexpected character in variable name "BAD KEY"'],
    ["A=1\nB='open", 2, "unterminated quoted value for B"],
    ["A=${MISSING:?is required}", 1, "required variable MISSING is missing a value: is required"],
  ])("rejects %j at line %i", (text, line, message) => {
    let error: unknown;
    try {
      parseDotenv(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DotenvError);
    expect([(error as DotenvError).line, (error as DotenvError).message]).toEqual([line, message]);
  });
});
