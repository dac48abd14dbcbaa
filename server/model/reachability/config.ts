import type { EngineInfo } from "../topology.ts";
import type { DaemonConfig, ResolvedConfig } from "./types.ts";

/** The major version of an engine version string ("20.10.24+dfsg1" -> 20); null when unparseable. */
export function engineMajor(serverVersion: string): number | null {
  const match = /^(\d+)\./.exec(serverVersion.trim());
  return match ? Number(match[1]) : null;
}

/** Applies the documented defaults: userland-proxy on (PP-7), ip6tables on from 27.0 (V6-3), no shims. */
export function resolveConfig(engine: EngineInfo, config: DaemonConfig = {}): ResolvedConfig {
  const major = engineMajor(engine.serverVersion);
  const ip6tables = config.ip6tables ?? (major === null ? null : major >= 27);
  return {
    userlandProxy: config.userlandProxy ?? true,
    ip6tables,
    macvlanShims: new Set(config.macvlanShims ?? []),
  };
}
