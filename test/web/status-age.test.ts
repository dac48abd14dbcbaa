import { describe, expect, it } from "vitest";
import { humanDuration, liveStatus } from "../../web/status-age.ts";

describe("status ages as docker ps words them", () => {
  it.each([
    [0, "Less than a second"],
    [1_000, "1 second"],
    [8_000, "8 seconds"],
    [59_999, "59 seconds"],
    [60_000, "About a minute"],
    [16 * 60_000, "16 minutes"],
    [3_600_000, "About an hour"],
    [5 * 3_600_000, "5 hours"],
    [3 * 86_400_000, "3 days"],
    [20 * 86_400_000, "2 weeks"],
    [90 * 86_400_000, "3 months"],
    [800 * 86_400_000, "2 years"],
  ])("%d ms is %s", (ms, text) => expect(humanDuration(ms)).toBe(text));

  it("counts Up from the start time and keeps the engine's suffix", () => {
    const startedAt = "2026-01-01T00:00:00.000Z";
    const at = (min: number) => Date.parse(startedAt) + min * 60_000;
    expect(liveStatus({ status: "Up 8 seconds", startedAt }, at(16))).toBe("Up 16 minutes");
    expect(liveStatus({ status: "Up 2 seconds (Paused)", startedAt }, at(3))).toBe("Up 3 minutes (Paused)");
    expect(liveStatus({ status: "Up 1 second (healthy)", startedAt }, at(1))).toBe(
      "Up About a minute (healthy)",
    );
  });

  it("leaves a status without a start time, or not Up, as the engine wrote it", () => {
    expect(liveStatus({ status: "Up 8 seconds" }, Date.now())).toBe("Up 8 seconds");
    expect(
      liveStatus({ status: "Exited (0) 5 minutes ago", startedAt: "2026-01-01T00:00:00Z" }, Date.now()),
    ).toBe("Exited (0) 5 minutes ago");
  });
});
