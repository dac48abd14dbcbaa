import type { ServiceConfig } from "./schema.ts";

/**
 * Compose profiles: a service without `profiles:` always runs; one with profiles runs only when one of them
 * is active (`--profile`, else COMPOSE_PROFILES), or when `*` is.
 */
export function applyProfiles(
  services: Record<string, ServiceConfig>,
  active: readonly string[],
): { services: Record<string, ServiceConfig>; disabled: Map<string, string[]> } {
  const on = new Set(active);
  const enabled: Record<string, ServiceConfig> = {};
  const disabled = new Map<string, string[]>();
  for (const [name, svc] of Object.entries(services)) {
    const profiles = svc.profiles ?? [];
    if (profiles.length === 0 || on.has("*") || profiles.some((p) => on.has(p))) enabled[name] = svc;
    else disabled.set(name, profiles);
  }
  return { services: enabled, disabled };
}

/** `COMPOSE_PROFILES=a,b` → `["a", "b"]`. */
export function profilesFromEnv(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
}
