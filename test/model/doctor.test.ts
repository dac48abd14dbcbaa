import { describe, expect, it } from "vitest";
import { apiVersionBelow, MIN_API_VERSION } from "../../server/model/api-version.ts";
import type { DoctorFacts } from "../../server/model/doctor.ts";
import { diagnose, formatDoctorReport } from "../../server/model/doctor.ts";

const facts = (apiVersion: string): DoctorFacts => ({
  engine: { url: "tcp://10.0.0.5:2375", origin: "--engine" },
  answer: { apiVersion, serverVersion: "x", swarm: "inactive" },
  probes: { image: "busybox:latest", present: true, writes: { kind: "accepted" } },
  chromium: { path: "/usr/bin/chromium", present: false, driver: true },
  port: { host: "127.0.0.1", port: 7357, free: true },
});

describe("doctor's judgement", () => {
  it.each([
    ["1.40", "1.41", true],
    ["1.41", "1.41", false],
    ["1.9", "1.41", true],
    ["1.100", "1.41", false],
    ["2.0", "1.41", false],
    ["", "1.41", true],
  ])("API %j below %j: %s", (version, than, below) => {
    expect(apiVersionBelow(version, than)).toBe(below);
  });

  it("an engine older than the minimum is a failure with what to do; newer is ready", () => {
    const old = diagnose(facts("1.40"));
    expect(old.ready).toBe(false);
    expect(old.checks.find((c) => c.id === "api")).toMatchObject({
      status: "fail",
      fix: "upgrade the engine to Docker 20.10 or later",
    });
    expect(diagnose(facts(MIN_API_VERSION)).ready).toBe(true);
  });

  it("missing Chromium only warns, and the text shows its fix under it", () => {
    const report = diagnose(facts("1.41"));
    expect(report.ready).toBe(true);
    expect(formatDoctorReport(report)).toContain(
      "warn  png     no Chromium at /usr/bin/chromium: export --format png will fail\n              -> install",
    );
  });
});
