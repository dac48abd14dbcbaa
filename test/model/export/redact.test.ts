import { describe, expect, it } from "vitest";
import { createRedactor } from "../../../server/model/export/redact.ts";

describe("createRedactor", () => {
  const seed = {
    ips: ["10.0.0.10", "10.0.0.2", "fd00:210:30::2"],
    subnets: ["10.0.0.0/24", "fd00:210:30::/64"],
    mac: "02:42:ac:11:00:02",
  };

  it("numbers addresses in address order, whatever order they are met in", () => {
    const r = createRedactor(seed);
    expect(r.text("10.0.0.10 then 10.0.0.2")).toBe("ip-2 then ip-1");
    expect(r.text("10.0.0.0/24 fd00:210:30::/64 fd00:210:30::2 02:42:ac:11:00:02")).toBe(
      "subnet-1 subnet6-1 ip6-1 mac-1",
    );
  });

  it("redacts addresses inside text, URLs and host:port", () => {
    const r = createRedactor(seed);
    expect(r.text("tcp://10.0.0.2:2375, dial 10.0.0.10.")).toBe("tcp://ip-1:2375, dial ip-2.");
    expect(r.text("<free IP in 10.0.0.0/24>/32")).toBe("<free IP in subnet-1>/32");
    // An address the seed did not hold still gets a placeholder.
    expect(r.text("192.168.1.1")).toBe("ip-3");
  });

  it("keeps wildcard and loopback addresses, versions, times and digests", () => {
    const r = createRedactor(seed);
    const keep = "0.0.0.0:80 [::]:80 ::1 127.0.0.1 v20.10.24 05:25:56.618Z sha256:ab12 1.2.3.4.5 999.1.1.1";
    expect(r.text(keep)).toBe(keep);
  });

  it("walks plain data deeply without touching keys", () => {
    const r = createRedactor(seed);
    expect(r.deep({ "10.0.0.2": ["10.0.0.2", 3, null, { a: "10.0.0.10" }] })).toEqual({
      "10.0.0.2": ["ip-1", 3, null, { a: "ip-2" }],
    });
  });
});
