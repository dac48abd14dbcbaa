/** The secret policy, table-driven: secret-named keys, secrets inside any value, and what must stay. */
import { describe, expect, it } from "vitest";
import { exampleTopology } from "../../server/example/example.ts";
import { fleetTopology } from "../../server/example/fleet.ts";
import { parseSnapshot } from "../../server/model/snapshot.ts";
import {
  isSecretKey,
  REDACTED,
  redactEntries,
  redactTopology,
  redactValue,
} from "../../server/model/redact.ts";
import { fleetRecording } from "./reachability/fleet-fixture.ts";

const JWT =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
const PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----";

describe("secret-named keys", () => {
  it.each([
    "com.example.password",
    "DB_PASSWD",
    "app.secret",
    "api_token",
    "aws.access_key",
    "tls.private",
    "registry.credentials",
    "traefik.http.middlewares.auth.basicauth.users",
    "traefik.http.middlewares.x.digestauth.users",
    "sentry.dsn",
    "app.auth",
    "session",
  ])("%s hides its whole value", (key) => {
    expect(isSecretKey(key)).toBe(true);
    expect(redactEntries({ [key]: "anything" })).toEqual({ [key]: REDACTED });
  });

  it.each([
    "com.docker.compose.project",
    "com.docker.compose.service",
    "com.docker.network.bridge.enable_icc",
    "com.docker.network.bridge.name",
    "com.docker.network.driver.mtu",
    "org.opencontainers.image.authors",
    "com.docker.compose.config-hash",
    "parent",
    "ipvlan_mode",
  ])("%s is kept (reachgraph and people read it)", (key) => {
    expect(isSecretKey(key)).toBe(false);
    expect(redactEntries({ [key]: "value" })).toEqual({ [key]: "value" });
  });
});

describe("secrets inside values, whatever the key", () => {
  it.each([
    ["postgres://app:s3cr3t@db:5432/shop", "postgres://app:[redacted]@db:5432/shop", "s3cr3t"],
    ["redis://:pw-123@cache:6379/0", "redis://:[redacted]@cache:6379/0", "pw-123"],
    ["amqp://u:p@ss@mq/vhost", "amqp://u:[redacted]@mq/vhost", "p@ss"],
    ["Server=db;User Id=sa;Password=Hunter2!;", "Server=db;User Id=sa;Password=[redacted];", "Hunter2"],
    ["host=db user=app password=xyzzy dbname=x", "host=db user=app password=[redacted] dbname=x", "xyzzy"],
    ["https://api.example/?token=abcdef123&x=1", "https://api.example/?token=[redacted]&x=1", "abcdef123"],
    ["Authorization: Bearer abcDEF123456789.xyz", "Authorization: Bearer [redacted]", "abcDEF123456789"],
    ["Basic dXNlcjpwYXNzd29yZA==", "Basic [redacted]", "dXNlcjpwYXNzd29yZA"],
    ["admin:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/", "admin:[redacted]", "IgXLP6ewTrSuBkTrqE8wj"],
    [
      "u:$2y$05$9sW2mV8Jq9OTFGwKmvYsguVmeYWqFyh9C1g4XU5bY4x7hZ1yqk0a6",
      "u:[redacted]",
      "9sW2mV8Jq9OTFGwKmvYsgu",
    ],
    ["u:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", "u:[redacted]", "W6ph5Mm5Pz8"],
    [`jwt ${JWT}`, "jwt [redacted]", "dozjgNryP4J3"],
    [`key:\n${PEM}`, "key:\n[redacted]", "MIIEowIBAAKCAQEA7"],
    ["DB_PASSWORD=hunter2 ./run", "DB_PASSWORD=[redacted] ./run", "hunter2"],
    ["MYSQL_ROOT_PASSWORD=r00t", "MYSQL_ROOT_PASSWORD=[redacted]", "r00t"],
    ["PGPASSWORD=pgpw", "PGPASSWORD=[redacted]", "pgpw"],
    [
      "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENG",
      "AWS_SECRET_ACCESS_KEY=[redacted]",
      "wJalrXUtnFEMIK7MDENG",
    ],
    ['{"user":"app","password":"hunter2"}', '{"user":"app","password":"[redacted]"}', "hunter2"],
    ["serve --password hunter2 --port 80", "serve --password [redacted] --port 80", "hunter2"],
    ["AKIAIOSFODNN7EXAMPLE", "[redacted]", "AKIAIOSFODNN7EXAMPLE"],
    ["ghp_abcdefghijklmnopqrstuvwxyz0123456789", "[redacted]", "ghp_abcdefghij"],
  ])("%j", (value, redacted, secret) => {
    expect(redactValue(value)).toBe(redacted);
    expect(redactEntries({ "com.example.note": value })["com.example.note"]).not.toContain(secret);
  });

  it.each([
    "postgres://db:5432/shop",
    "https://example.com/a?b=c",
    "Host(`shop.example`) && PathPrefix(`/api`)",
    "10.0.0.0/24",
    "rgt-demo-shop",
    "1500",
    "false",
  ])("%j is kept", (value) => expect(redactValue(value)).toBe(value));
});

describe("the policy over a topology", () => {
  it("covers network options and labels, container labels, status and error", () => {
    const t = exampleTopology();
    const net = t.networks.find((n) => !n.builtIn)!;
    const c = t.containers[0];
    net.options = {
      ...net.options,
      "com.example.password": "opt-secret",
      "com.example.url": "mysql://u:optpw@h/d",
    };
    net.labels = { ...net.labels, "com.example.dsn": "x" };
    c.labels = { ...c.labels, DATABASE_URL: "postgres://u:labelpw@h/d", "com.example.jwt": JWT };
    c.error = "connect postgres://u:errpw@h/d failed";
    const out = JSON.stringify(redactTopology(t));
    for (const secret of ["opt-secret", "optpw", "labelpw", "errpw", "dozjgNryP4J3"])
      expect(out).not.toContain(secret);
    expect(out).toContain("mysql://u:[redacted]@h/d");
  });

  it("applies to a snapshot file read back, however it was written", () => {
    const t = exampleTopology();
    t.networks[0].options = { "com.example.password": "from-a-file" };
    const { topology } = parseSnapshot(JSON.stringify(t), "old.json");
    expect(topology.networks[0].options).toEqual({ "com.example.password": REDACTED });
  });
});

describe("the policy over a swarm (the manager's /services and /tasks)", () => {
  const SOURCE = { kind: "snapshot" as const, label: "fleet", capturedAt: "2026-12-01T13:00:00Z" };

  it("covers service labels and task errors as the manager's lists are normalised", () => {
    // The recording made on the real swarm, with secrets where an engine can put them (a label, a task's Err).
    const recording = fleetRecording("down");
    const manager = recording.engines[0].recording;
    const service = manager.services![0];
    service.Spec!.Labels = {
      ...service.Spec!.Labels,
      "com.example.token": "svc-token",
      url: "redis://:svcpw@r",
    };
    const task = manager.tasks!.find((t) => t.Status?.Err)!;
    task.Status!.Err = `${task.Status!.Err}: pull from https://u:taskpw@registry failed`;
    const topology = fleetTopology(recording, SOURCE);
    const out = JSON.stringify(topology);
    for (const secret of ["svc-token", "svcpw", "taskpw"]) expect(out).not.toContain(secret);
    expect(out).toContain("https://u:[redacted]@registry");
  });

  it("applies to a snapshot file's swarm read back, however it was written", () => {
    const t = fleetTopology(fleetRecording("down"), SOURCE);
    t.swarm!.services[0].labels = { "com.example.password": "from-a-file" };
    t.swarm!.tasks[0].error = "connect postgres://u:fileerrpw@h/d failed";
    const { topology } = parseSnapshot(JSON.stringify(t), "fleet.json");
    expect(topology.swarm!.services[0].labels).toEqual({ "com.example.password": REDACTED });
    expect(topology.swarm!.tasks[0].error).toBe("connect postgres://u:[redacted]@h/d failed");
  });
});
