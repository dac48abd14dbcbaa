import type { z } from "zod";
import type { Locate, ModelPath } from "./errors.ts";
import { ComposeError, formatPath } from "./errors.ts";
import { isIpv4, isIpv4Cidr } from "./addresses.ts";
import { PortError, parseExpose, parseLongPort, parseShortPort } from "./ports.ts";
import type { ComposeModel } from "./schema.ts";
import { composeFileSchema } from "./schema.ts";

/**
 * Validates one (interpolated) compose file and returns its typed model, or throws a {@link ComposeError}
 * at the line and column of the first problem: `compose.yaml:12:5: networks.backend.driver must be a string`.
 */
export function validateModel(value: unknown, locate: Locate, file: string): ComposeModel {
  if (value === null || value === undefined) throw new ComposeError("empty compose file", { file });
  const parsed = composeFileSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw issueError(parsed.error.issues[0], locate, file);
}

function issueError(issue: z.core.$ZodIssue, locate: Locate, file: string): ComposeError {
  let path = issue.path as (string | number)[];
  let message = issue.message;
  // A bad key inside a record: point at the key and say what keys may be.
  const badKey = issue.code === "invalid_key";
  if (badKey) message = issue.issues[0]?.message ?? message;
  const position = locate(path as ModelPath, badKey) ?? { file };
  if (path.length === 0) path = ["top level"];
  return new ComposeError(`${formatPath(path)} ${message}`, position);
}

/**
 * Checks what the schema cannot: port and expose syntax, static addresses, network_mode values. Runs per
 * file, so the position is that file's.
 */
export function checkServices(model: ComposeModel, locate: Locate, file: string): void {
  for (const [name, svc] of Object.entries(model.services ?? {})) {
    if (!svc) continue;
    const fail = (path: (string | number)[], message: string): never => {
      throw new ComposeError(
        `${formatPath(["services", name, ...path])} ${message}`,
        locate(["services", name, ...path]) ?? { file },
      );
    };
    (svc.ports ?? []).forEach((p, i) => {
      try {
        if (typeof p === "object") parseLongPort(p);
        else parseShortPort(p);
      } catch (error) {
        if (error instanceof PortError) fail(["ports", i], `is not a valid port: ${error.message}`);
        throw error;
      }
    });
    (svc.expose ?? []).forEach((e, i) => {
      try {
        parseExpose(e);
      } catch (error) {
        if (error instanceof PortError) fail(["expose", i], `is not a valid port: ${error.message}`);
        throw error;
      }
    });
    for (const [net, cfg] of Object.entries(svc.networks ?? {})) {
      if (cfg?.ipv4_address !== undefined && !isIpv4(cfg.ipv4_address))
        fail(
          ["networks", net, "ipv4_address"],
          `must be an IPv4 address, not ${JSON.stringify(cfg.ipv4_address)}`,
        );
      if (cfg?.ipv6_address !== undefined && !cfg.ipv6_address.includes(":"))
        fail(
          ["networks", net, "ipv6_address"],
          `must be an IPv6 address, not ${JSON.stringify(cfg.ipv6_address)}`,
        );
    }
  }
  for (const [name, net] of Object.entries(model.networks ?? {})) {
    (net?.ipam?.config ?? []).forEach((c, i) => {
      if (c.subnet !== undefined && !c.subnet.includes(":") && !isIpv4Cidr(c.subnet)) {
        const path = ["networks", name, "ipam", "config", i, "subnet"];
        throw new ComposeError(
          `${formatPath(path)} must be a subnet in CIDR form such as 10.213.1.0/24, not ${JSON.stringify(c.subnet)}`,
          locate(path) ?? { file },
        );
      }
    });
  }
}
