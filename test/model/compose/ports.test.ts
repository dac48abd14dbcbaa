import { describe, expect, it } from "vitest";
import {
  parseExpose,
  parseLongPort,
  parseShortPort,
  PortError,
} from "../../../server/model/compose/index.ts";

const b = (target: number, published: number, hostIp = "", protocol = "tcp") => ({
  target,
  published,
  hostIp,
  protocol,
});

describe("ports short syntax", () => {
  it.each<[string | number, ReturnType<typeof b>[]]>([
    ["80", [b(80, 0)]],
    [80, [b(80, 0)]],
    ["8080:80", [b(80, 8080)]],
    ["127.0.0.1:8080:80", [b(80, 8080, "127.0.0.1")]],
    ["127.0.0.1::80", [b(80, 0, "127.0.0.1")]],
    ["53:53/udp", [b(53, 53, "", "udp")]],
    ["8000-8002:80-82", [b(80, 8000), b(81, 8001), b(82, 8002)]],
    ["9090-9091:8080", [b(8080, 9090)]],
    ["3000-3001", [b(3000, 0), b(3001, 0)]],
    ["[::1]:80:80", [b(80, 80, "::1")]],
    ["[::1]::80/udp", [b(80, 0, "::1", "udp")]],
    ["::1:80:80", [b(80, 80, "::1")]],
    ["0.0.0.0:5000:5000/sctp", [b(5000, 5000, "0.0.0.0", "sctp")]],
  ])("%j", (spec, expected) => {
    expect(parseShortPort(spec)).toEqual(expected);
  });

  it.each([
    ["80/tcpx", 'invalid protocol "tcpx" in "80/tcpx"; expected tcp, udp or sctp'],
    ["8000-8001:80-82", 'invalid ranges in "8000-8001:80-82": the host and container ranges differ in size'],
    ["abc", 'invalid container port "abc" in "abc"'],
    ["70000:80", 'invalid host port "70000" in "70000:80"; expected 1-65535'],
    ["[::1:80:80", 'invalid IPv6 host address in "[::1:80:80"'],
    ["8080:", 'no container port in "8080:"'],
  ])("rejects %j", (spec, message) => {
    expect(() => parseShortPort(spec)).toThrow(new PortError(message));
  });
});

describe("ports long syntax and expose", () => {
  it("reads target, published (number, string or range), host_ip and protocol", () => {
    expect(parseLongPort({ target: 80 })).toEqual([b(80, 0)]);
    expect(parseLongPort({ target: 80, published: "8080", host_ip: "127.0.0.1", protocol: "UDP" })).toEqual([
      b(80, 8080, "127.0.0.1", "udp"),
    ]);
    expect(parseLongPort({ target: 80, published: 8080 })).toEqual([b(80, 8080)]);
    expect(parseLongPort({ target: 80, published: "9000-9005" })).toEqual([b(80, 9000)]);
    expect(() => parseLongPort({ target: 80, protocol: "icmp" })).toThrow(PortError);
  });

  it("expands expose ranges", () => {
    expect(parseExpose("3000")).toEqual([{ port: 3000, protocol: "tcp" }]);
    expect(parseExpose(3000)).toEqual([{ port: 3000, protocol: "tcp" }]);
    expect(parseExpose("4000-4001/udp")).toEqual([
      { port: 4000, protocol: "udp" },
      { port: 4001, protocol: "udp" },
    ]);
    expect(() => parseExpose("x")).toThrow(PortError);
  });
});
