import { describe, expect, it } from "vitest";
import { errorOf, loadText, predictText } from "./helpers.ts";

describe("compose file errors name file:line:col and what was expected", () => {
  it.each([
    ["networks:\n  backend:\n    driver: 5\n", "compose.yaml:3:13: networks.backend.driver must be a string"],
    ["services:\n  web:\n    image: [a]\n", "compose.yaml:3:12: services.web.image must be a string"],
    [
      "services:\n  web:\n    networks: 3\n",
      "compose.yaml:3:15: services.web.networks must be a list of network names or a mapping of network names",
    ],
    [
      "services:\n  web:\n    networks:\n      front:\n        aliases: [1]\n",
      "compose.yaml:5:19: services.web.networks.front.aliases[0] must be a string",
    ],
    [
      "services:\n  web:\n    ports:\n      - target: abc\n",
      "compose.yaml:4:17: services.web.ports[0].target must be a whole number",
    ],
    [
      "services:\n  web:\n    ports:\n      - [1]\n",
      'compose.yaml:4:9: services.web.ports[0] must be a port string such as "8080:80" or a mapping with target',
    ],
    [
      'services:\n  web:\n    ports:\n      - "80:80/tcpx"\n',
      'compose.yaml:4:9: services.web.ports[0] is not a valid port: invalid protocol "tcpx" in "80:80/tcpx"; expected tcp, udp or sctp',
    ],
    [
      'services:\n  web:\n    expose: ["x"]\n',
      'compose.yaml:3:14: services.web.expose[0] is not a valid port: invalid port "x" in "x"',
    ],
    ["services:\n  web:\n    scale: many\n", "compose.yaml:3:12: services.web.scale must be a whole number"],
    [
      "networks:\n  n:\n    internal: maybe\n",
      "compose.yaml:3:15: networks.n.internal must be a boolean (true or false)",
    ],
    [
      "networks:\n  n:\n    external:\n      name: 3\n",
      "compose.yaml:4:13: networks.n.external.name must be a string",
    ],
    [
      "networks:\n  n:\n    ipam:\n      config:\n        - subnet: 10.0.0.0\n",
      'compose.yaml:5:19: networks.n.ipam.config[0].subnet must be a subnet in CIDR form such as 10.213.1.0/24, not "10.0.0.0"',
    ],
    [
      "services:\n  web:\n    networks:\n      n:\n        ipv4_address: nope\n",
      'compose.yaml:5:23: services.web.networks.n.ipv4_address must be an IPv4 address, not "nope"',
    ],
    [
      "services:\n  web:\n    extends:\n      file: x.yaml\n",
      "compose.yaml:4:7: services.web.extends.service is required",
    ],
    [
      "services:\n  bad name:\n    image: x\n",
      'compose.yaml:2:3: services.bad name service names may contain only letters, digits, ".", "_" and "-"',
    ],
    ["services: [a]\n", "compose.yaml:1:11: services must be a mapping of services"],
    ["- a\n", "compose.yaml:1:1: top level must be a mapping (services, networks, …)"],
    ["", "compose.yaml: empty compose file"],
    [
      "services:\n  web:\n    image: ${TAG:?set TAG}\n",
      "compose.yaml:3:12: services.web.image: required variable TAG is missing a value: set TAG",
    ],
    [
      "services:\n  web:\n    command: echo $\n",
      'compose.yaml:3:14: services.web.command: invalid interpolation format "echo $"',
    ],
    [
      "services:\n  web:\n    image: a\n  web:\n    image: b\n",
      "compose.yaml:4:3: invalid YAML: map keys must be unique",
    ],
    [
      "services:\n  web:\n   image: a\n  bad\n",
      "compose.yaml:4:3: invalid YAML: implicit map keys need to be followed by map values",
    ],
  ])("%j", (text, message) => {
    expect(errorOf(text)).toBe(message);
  });

  it("accepts what compose accepts: x- extensions, version, build, volumes, healthcheck, deploy.resources", () => {
    const text = `
version: "3.9"
x-logging: &logging
  driver: json-file
services:
  web:
    build: { context: ., dockerfile: Dockerfile }
    volumes: ["./data:/data:ro"]
    healthcheck: { test: ["CMD", "true"], interval: 5s }
    deploy: { resources: { limits: { cpus: "0.5" } }, replicas: "2" }
    logging: *logging
    environment: { A: 1 }
    x-custom: anything
    unknown_future_key: { nested: true }
volumes:
  data: {}
secrets:
  s: { file: ./s.txt }
`;
    expect(errorOf(text)).toBe("");
    expect(predictText(text).containers.map((c) => c.name)).toEqual(["proj-web-1", "proj-web-2"]);
  });

  it("casts interpolated booleans and numbers like compose-go", () => {
    const { model } = loadText(
      "networks:\n  n:\n    internal: ${INTERNAL}\nservices:\n  s:\n    scale: ${SCALE}\n",
      {
        INTERNAL: "yes",
        SCALE: "3",
      },
    );
    expect(model.networks?.n?.internal).toBe(true);
    expect(model.services?.s?.scale).toBe(3);
  });

  it("supports anchors, aliases and << merge keys", () => {
    const t = predictText(`
x-base: &base
  image: busybox
  networks: [front]
services:
  a:
    <<: *base
  b:
    <<: *base
    image: other
networks:
  front: {}
`);
    expect(t.containers.map((c) => [c.name, c.image, c.interfaces.map((i) => i.network)])).toEqual([
      ["proj-a-1", "busybox", ["proj_front"]],
      ["proj-b-1", "other", ["proj_front"]],
    ]);
  });
});

describe("errors found while predicting point at the service", () => {
  it.each([
    [
      "services:\n  a:\n    networks: [nope]\n",
      "compose.yaml:3:16: services.a.networks: nope is not defined in the top-level networks",
    ],
    [
      "services:\n  a:\n    network_mode: service:ghost\n",
      "compose.yaml:3:19: services.a.network_mode: service:ghost refers to an undefined service",
    ],
    [
      "services:\n  a:\n    network_mode: host\n    networks: [x]\nnetworks:\n  x: {}\n",
      "compose.yaml:3:19: services.a declares mutually exclusive network_mode and networks",
    ],
    [
      "services:\n  a:\n    scale: 2\n    deploy:\n      replicas: 3\n",
      "compose.yaml:3:12: services.a: can't set distinct values on 'scale' (2) and 'deploy.replicas' (3)",
    ],
    [
      "services:\n  a:\n    scale: 2\n    container_name: fixed\n",
      'compose.yaml:4:21: services.a: container_name "fixed" cannot be used with 2 replicas; container names must be unique',
    ],
    [
      "services:\n  vpn:\n    profiles: [vpn]\n  a:\n    network_mode: service:vpn\n",
      "compose.yaml:5:19: services.a.network_mode: service:vpn refers to a service disabled by profiles (enable one of: vpn)",
    ],
  ])("%j", (text, message) => {
    expect(() => predictText(text)).toThrow(message);
  });
});
