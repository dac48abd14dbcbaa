import { describe, expect, it } from "vitest";
import { InterpolationError, interpolateTree, substitute } from "../../../server/model/compose/index.ts";

const env: Record<string, string> = { SET: "value", EMPTY: "", PORT: "8080", NESTED: "inner" };
const lookup = (name: string) => env[name];

describe("substitute (compose-go template rules)", () => {
  it.each([
    ["plain text", "plain text"],
    ["$SET", "value"],
    ["${SET}", "value"],
    ["a-$SET-b", "a-value-b"],
    ["${UNSET}", ""],
    ["$UNSET", ""],
    ["${SET:-default}", "value"],
    ["${EMPTY:-default}", "default"],
    ["${UNSET:-default}", "default"],
    ["${SET-default}", "value"],
    ["${EMPTY-default}", ""],
    ["${UNSET-default}", "default"],
    ["${SET:+alt}", "alt"],
    ["${EMPTY:+alt}", ""],
    ["${UNSET:+alt}", ""],
    ["${SET+alt}", "alt"],
    ["${EMPTY+alt}", "alt"],
    ["${UNSET+alt}", ""],
    ["${SET:?must be set}", "value"],
    ["${EMPTY?must be set}", ""],
    ["$$SET", "$SET"],
    ["$${SET}", "${SET}"],
    ["cost: $$5", "cost: $5"],
    ["${UNSET:-${NESTED}}", "inner"],
    ["${UNSET:-${ALSO_UNSET:-deep}}", "deep"],
    ["${UNSET:-a:b-c}", "a:b-c"],
    ["127.0.0.1:${PORT}:80", "127.0.0.1:8080:80"],
    ["${UNSET:-}", ""],
    ["$SET_SUFFIX", ""],
    ["${SET}_SUFFIX", "value_SUFFIX"],
  ])("%s -> %s", (template, expected) => {
    expect(substitute(template, lookup)).toBe(expected);
  });

  it.each([
    ["${UNSET:?needs a value}", "required variable UNSET is missing a value: needs a value"],
    ["${EMPTY:?needs a value}", "required variable EMPTY is missing a value: needs a value"],
    ["${UNSET?}", "required variable UNSET is missing a value"],
    ["${UNSET:?port ${PORT} taken}", "required variable UNSET is missing a value: port 8080 taken"],
    ["$", 'invalid interpolation format "$"'],
    ["a $ b", 'invalid interpolation format "a $ b"'],
    ["${}", 'invalid interpolation format "${}"'],
    ["${SET", 'invalid interpolation format "${SET"'],
    ["${1BAD}", 'invalid interpolation format "${1BAD}"'],
    ["${SET%x}", 'invalid interpolation format "${SET%x}"'],
  ])("rejects %s", (template, message) => {
    expect(() => substitute(template, lookup)).toThrow(new InterpolationError(message));
  });
});

describe("interpolateTree", () => {
  it("interpolates string values only, never keys, and keeps other scalars", () => {
    const tree = {
      services: { $SET: { image: "${SET}", scale: 2, tty: true, x: null, list: ["$PORT", 1] } },
    };
    expect(
      interpolateTree(tree, lookup, () => {
        throw new Error("unexpected");
      }),
    ).toEqual({ services: { $SET: { image: "value", scale: 2, tty: true, x: null, list: ["8080", 1] } } });
  });

  it("reports the path of the failing value", () => {
    let seen: unknown;
    expect(() =>
      interpolateTree({ services: { web: { ports: ["${NOPE:?x}"] } } }, lookup, (path, error) => {
        seen = [path, error.message];
        throw error;
      }),
    ).toThrow(InterpolationError);
    expect(seen).toEqual([["services", "web", "ports", 0], "required variable NOPE is missing a value: x"]);
  });
});
