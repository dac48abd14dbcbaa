/** POSIX shell quoting, and fix commands with hostile engine names run through a real /bin/sh. */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { quoteShell, shellCommand } from "../../../server/model/escape/shell.ts";
import { explainPair, indexTopology } from "../../../server/model/reachability/index.ts";
import type { Topology } from "../../../server/model/topology.ts";
import { recorded } from "../reachability/fixture.ts";

describe("quoteShell", () => {
  test.each([
    ["sem-ub1", "sem-ub1"],
    ["a_b.c/d:e@f%g+h=i,j-k", "a_b.c/d:e@f%g+h=i,j-k"],
    ["", "''"],
    ["two words", "'two words'"],
    ["it's", `'it'\\''s'`],
    ["x-$(touch /tmp/owned)", "'x-$(touch /tmp/owned)'"],
    ["`id`", "'`id`'"],
    ["a;b", "'a;b'"],
    ["a\nb", "'a\nb'"],
    ["~root", "'~root'"],
    ["*", "'*'"],
    ["''", `''\\'''\\'''`],
  ])("%j -> %s", (word, quoted) => {
    expect(quoteShell(word)).toBe(quoted);
  });

  test("shellCommand quotes each word", () => {
    expect(shellCommand("docker", "network", "connect", "a b", "c")).toBe("docker network connect 'a b' c");
  });
});

/** Names Docker accepts for networks (any string) that would run code or split words if pasted unquoted. */
const HOSTILE = [
  "x-$(touch MARK)",
  "x-`touch MARK`",
  "x'; touch MARK; echo '",
  'x" && touch MARK && echo "',
  "x;touch MARK",
  "x|touch MARK",
  "x\ntouch MARK",
  "x $HOME *",
  "x\\'\\\\",
];

describe("every fix command, run by /bin/sh, passes hostile names verbatim", () => {
  const dir = mkdtempSync(join(tmpdir(), "rgt-shell-"));
  const mark = join(dir, "owned");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the commands with `docker` replaced by a function printing its argv, NUL-separated, one call per line. */
  const argvOf = (commands: string[]): string[][] => {
    const script = [`docker() { printf '%s\\0' "$@"; printf '\\n'; }`, ...commands].join("\n");
    const out = execFileSync("/bin/sh", ["-c", script], { cwd: dir, encoding: "utf8" });
    return out
      .split("\0\n")
      .filter(Boolean)
      .map((line) => line.split("\0"));
  };

  const rename = (t: Topology, from: string, to: string) => {
    for (const n of t.networks) if (n.name === from) n.name = to;
    for (const c of t.containers) for (const i of c.interfaces) if (i.network === from) i.network = to;
  };

  test.each(HOSTILE.map((h) => h.replace("MARK", mark)))("%j", (name) => {
    const cases: [string, string, string, string[][]][] = [
      // UB-8: join the target's (hostile) network.
      ["sem-ub1", "sem-v1", "sem-u1", [["network", "connect", name, "sem-v1"]]],
      // NO-1: leave none, join the hostile network.
      [
        "sem-ub1",
        "sem-none",
        "sem-u1",
        [
          ["network", "disconnect", "none", "sem-none"],
          ["network", "connect", name, "sem-none"],
        ],
      ],
      // §5 + UB-8: start the stopped target, then join its hostile network.
      [
        "sem-ub1",
        "sem-v1",
        "sem-u2",
        [
          ["start", "sem-u2"],
          ["network", "connect", name, "sem-v1"],
        ],
      ],
      // INT-1: an internal network with a hostile name.
      ["sem-int", "sem-u1", "sem-i1", [["network", "connect", name, "sem-u1"]]],
    ];
    for (const [network, from, to, argv] of cases) {
      const index = recorded({ topology: (t) => rename(t, network, name) });
      const fix = explainPair(index, from, to).fix;
      expect(fix?.commands.length, `${from} -> ${to}`).toBe(argv.length);
      expect(argvOf(fix?.commands ?? [])).toEqual(argv);
    }
    expect(existsSync(mark)).toBe(false);
  });

  test("ICC-1: the new network's name, derived from the pair, is one word too", () => {
    const index = indexTopology(recorded().topology, { userlandProxy: false });
    const fix = explainPair(index, "sem-n2", "sem-n1").fix!;
    expect(argvOf(fix.commands)).toEqual([
      ["network", "create", "sem-n2-sem-n1"],
      ["network", "connect", "sem-n2-sem-n1", "sem-n2"],
      ["network", "connect", "sem-n2-sem-n1", "sem-n1"],
    ]);
  });
});
