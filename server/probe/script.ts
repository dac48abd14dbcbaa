import type { CheckKind, CheckStatus } from "../model/probe-types.ts";
import type { PlannedCheck } from "./plan.ts";
import { quoteShell } from "../model/escape/shell.ts";

/** Per-check bounds, in seconds: busybox `ping -W`, `nc -w`, and `timeout` around nc and nslookup. */
export const CHECK_TIMEOUTS = { icmp: 1, tcpConnect: 2, tcp: 4, name: 3 } as const;

/** Tools the helper image must have (busybox provides all of them). */
export const REQUIRED_TOOLS = ["ping", "nc", "nslookup", "timeout", "awk", "sed", "grep", "tr", "cut"];

// Each function prints exactly one line: "RG <id> <kind> <status> [detail]". Background jobs write whole lines.
const FUNCTIONS = String.raw`rg_detail() { printf '%s' "$1" | tr '\n\r\t' '   ' | cut -c1-160; }
rg_icmp() {
  rg_o=$(ping -c 1 -W ${CHECK_TIMEOUTS.icmp} "$2" 2>&1); rg_c=$?
  if [ $rg_c -eq 0 ]; then rg_s=ok
  else case "$rg_o" in *nreachable*|*"No route"*) rg_s=unreachable ;; *"0 packets received"*) rg_s=timeout ;; *) rg_s=fail ;; esac
  fi
  [ $rg_s = ok ] && rg_o=""
  echo "RG $1 icmp $rg_s $(rg_detail "$rg_o")"
}
rg_tcp() {
  rg_o=$(timeout ${CHECK_TIMEOUTS.tcp} nc -w ${CHECK_TIMEOUTS.tcpConnect} "$2" "$3" </dev/null 2>&1 >/dev/null); rg_c=$?
  case "$rg_o" in
    *refused*) rg_s=refused ;;
    *"timed out"*) rg_s=timeout ;;
    *nreachable*|*"No route"*) rg_s=unreachable ;;
    *) if [ $rg_c -eq 0 ] || [ -z "$rg_o" ]; then rg_s=ok; else rg_s=fail; fi ;;
  esac
  echo "RG $1 tcp $rg_s $(rg_detail "$rg_o")"
}
rg_name() {
  rg_h=$(awk -v n="$2" 'BEGIN { n = tolower(n) } /^[[:space:]]*#/ { next } { for (i = 2; i <= NF; i++) if (tolower($i) == n) { print $1; next } }' /etc/hosts 2>/dev/null | grep -v ':' | tr '\n' ' ')
  if [ -n "$rg_h" ]; then echo "RG $1 name ok hosts $rg_h"; return; fi
  if [ "$rg_dns" != 1 ]; then echo "RG $1 name nxdomain not in /etc/hosts; no embedded DNS to ask"; return; fi
  rg_o=$(timeout ${CHECK_TIMEOUTS.name} nslookup -type=a "$2" 127.0.0.11 2>&1); rg_c=$?
  rg_a=$(printf '%s\n' "$rg_o" | sed -n '/^Name:/,$ s/^Address[^:]*:[[:space:]]*\([0-9][0-9.]*\).*/\1/p' | tr '\n' ' ')
  if [ -n "$rg_a" ]; then echo "RG $1 name ok dns $rg_a"; return; fi
  case "$rg_o" in
    *NXDOMAIN*|*"can't find"*) rg_s=nxdomain ;;
    *"timed out"*|*"no servers"*) rg_s=timeout ;;
    *) if [ $rg_c -ge 124 ]; then rg_s=timeout; else rg_s=fail; fi ;;
  esac
  echo "RG $1 name $rg_s $(rg_detail "$rg_o")"
}
`;

/**
 * The sh script a helper runs: checks in batches of `parallel` background jobs, one `RG` line each, then
 * `RG end`. Busybox nslookup asks DNS only, so names are looked up in /etc/hosts first (DB-3 legacy links
 * live there), then at the embedded DNS (127.0.0.11) only when resolv.conf points at it: names are never
 * sent to an upstream resolver (DB-2).
 */
export function renderScript(checks: PlannedCheck[], parallel = 24): string {
  const lines = [
    "#!/bin/sh",
    "# reachgraph probe helper",
    `rg_need=""; for t in ${REQUIRED_TOOLS.join(" ")}; do command -v "$t" >/dev/null 2>&1 || rg_need="$rg_need $t"; done`,
    `if [ -n "$rg_need" ]; then echo "RG tools-missing$rg_need"; exit 3; fi`,
    `rg_dns=0; grep -q '^nameserver[[:space:]]*127\\.0\\.0\\.11' /etc/resolv.conf 2>/dev/null && rg_dns=1`,
    FUNCTIONS,
  ];
  checks.forEach((c, i) => {
    lines.push(`${command(c)} &`);
    if ((i + 1) % parallel === 0) lines.push("wait");
  });
  lines.push("wait", 'echo "RG end"');
  return lines.join("\n");
}

function command(c: PlannedCheck): string {
  const id = String(c.id);
  switch (c.kind) {
    case "icmp":
      return `rg_icmp ${id} ${quoteShell(validAddress(c.address))}`;
    case "tcp":
      return `rg_tcp ${id} ${quoteShell(validAddress(c.address))} ${validPort(c.port)}`;
    case "name":
      return `rg_name ${id} ${quoteShell(c.name ?? "")}`;
  }
}

function validAddress(address: string | null): string {
  if (!address || !/^[0-9a-fA-F.:]+$/.test(address))
    throw new Error(`probe address "${address}" is not an IP`);
  return address;
}

function validPort(port: number | null): number {
  if (port === null || !Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`probe port ${port} is not in 1-65535`);
  return port;
}

export interface ParsedCheck {
  kind: CheckKind;
  status: CheckStatus;
  detail: string;
  resolved?: string[];
  resolvedBy?: "hosts" | "dns";
}

export interface ParsedOutput {
  checks: Map<number, ParsedCheck>;
  /** The script reached its last line. */
  ended: boolean;
  /** Tools the image lacks, when the script stopped for that. */
  missingTools: string[];
}

const STATUSES = new Set<CheckStatus>(["ok", "refused", "timeout", "unreachable", "nxdomain", "fail"]);

/** Parses a helper's stdout; lines that are not `RG` lines are ignored. */
export function parseOutput(stdout: string): ParsedOutput {
  const out: ParsedOutput = { checks: new Map(), ended: false, missingTools: [] };
  for (const raw of stdout.split("\n")) {
    const line = raw.trim();
    if (line === "RG end") out.ended = true;
    else if (line.startsWith("RG tools-missing")) out.missingTools = line.split(/\s+/).slice(2);
    const m = /^RG (\d+) (icmp|tcp|name) (\w+) ?(.*)$/.exec(line);
    if (!m || !STATUSES.has(m[3] as CheckStatus)) continue;
    const kind = m[2] as CheckKind;
    const status = m[3] as CheckStatus;
    const detail = m[4].trim();
    const parsed: ParsedCheck = { kind, status, detail: status === "ok" ? "" : detail };
    if (kind === "name" && status === "ok") {
      const [by, ...addresses] = detail.split(/\s+/);
      parsed.resolvedBy = by === "hosts" ? "hosts" : "dns";
      parsed.resolved = [...new Set(addresses.filter((a) => /^\d{1,3}(\.\d{1,3}){3}$/.test(a)))];
    }
    out.checks.set(Number(m[1]), parsed);
  }
  return out;
}
