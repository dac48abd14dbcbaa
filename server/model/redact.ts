/**
 * The one secret policy. No secret may leave the server, so it is applied where a Topology is *made* — the
 * normaliser (live engine, example, deltas), the compose prediction and the snapshot reader — never at the
 * outputs: every output (HTTP API, SSE snapshot and deltas, snapshot files, every export, the CLI's JSON, and
 * any output written later) is a projection of a Topology, so none of them can forget it.
 * Environment variables are never collected at all (the normaliser does not read `Config.Env`).
 * Address redaction (`--redact`, export/redact.ts) is a different, optional concept: it hides *where*
 * things are, not secrets.
 */
import type { Container, Network, Swarm, Topology } from "./topology.ts";

export const REDACTED = "[redacted]";

/**
 * Keys whose whole value is a secret: passwords, secrets, tokens, keys, credentials, basic/digest-auth users
 * (`traefik.http.middlewares.*.basicauth.users`), DSNs, cookies.
 */
const SECRET_KEY =
  /pass(word|wd|phrase)?|secret|token|key|credential|private|(basic|digest)auth|(^|[._-])(auth|dsn|cookie|session)($|[._-])/i;

/** Secrets recognised inside any value, whatever its key; each keeps its harmless context (scheme, host, key). */
const SECRET_VALUES: Array<[RegExp, string]> = [
  // PEM private keys, the whole block (a cut-off block too).
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g, REDACTED],
  // JWTs: three base64url parts, the first a JSON header (`{"` is `eyJ`).
  [/\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g, REDACTED],
  // URL userinfo `scheme://user:password@host`: the scheme, user and host stay.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@]*):[^\s/?#]*@/gi, `$1:${REDACTED}@`],
  // `Authorization` values.
  [/\b(Bearer|Basic|Token)\s+[\w\-.~+/]{8,}=*/g, `$1 ${REDACTED}`],
  // htpasswd hashes (`user:$apr1$…`, bcrypt `$2y$…`, crypt `$5$`/`$6$`, argon2, `{SHA}…`).
  [/\$(?:apr1|2[abxy]?|1|5|6|argon2(?:id|i|d)?)\$[^\s,;"']+/g, REDACTED],
  [/\{SHA\}[A-Za-z0-9+/=]+/g, REDACTED],
  // `password=…` inside DSNs, query strings, env assignments and JSON (`Server=x;Password=y`, `?password=y&…`,
  // `DB_PASSWORD=y`, `AWS_SECRET_ACCESS_KEY=y`, `{"password":"y"}`): no word boundary before the name, since `_`
  // joins it to its prefix; a little over-redaction (`bypass=1`) is the price.
  [
    /(pass(?:word|wd)?|pwd|secret|token|api[_-]?key|access[_-]?key)(["']?\s*[=:]\s*["']?)[^\s;&,"']+/gi,
    `$1$2${REDACTED}`,
  ],
  // Command-line flags: `--password hunter2`, `--api-key x`.
  [/(--(?:pass(?:word|wd)?|secret|token|api[_-]?key)\s+)[^\s-][^\s;&,"']*/gi, `$1${REDACTED}`],
  // Cloud and forge access keys with a recognisable shape.
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, REDACTED],
  [/\bgh[pousr]_[A-Za-z0-9]{30,}\b/g, REDACTED],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/g, REDACTED],
];

/** `value` with every secret it holds replaced by {@link REDACTED}. */
export function redactValue(value: string): string {
  let out = value;
  for (const [pattern, replacement] of SECRET_VALUES) out = out.replace(pattern, replacement);
  return out;
}

/** Whether a label or option key names a secret, so its whole value is one. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** A copy of labels or options: secret-named keys' values replaced whole, secrets inside other values cut out. */
export function redactEntries(entries: Record<string, string> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(entries ?? {}))
    out[key] = isSecretKey(key) ? REDACTED : redactValue(value);
  return out;
}

/** The policy over a whole topology read from outside the normaliser (a snapshot file anyone may have written). */
export function redactTopology(topology: Topology): Topology {
  return {
    ...topology,
    networks: topology.networks.map(redactNetwork),
    containers: topology.containers.map(redactContainer),
    ...(topology.swarm ? { swarm: redactSwarm(topology.swarm) } : {}),
  };
}

/** A manager's lists: services' labels, and tasks' errors (engine text that may quote a registry URL or DSN). */
export function redactSwarm(swarm: Swarm): Swarm {
  return {
    ...swarm,
    services: swarm.services.map((s) => ({ ...s, labels: redactEntries(s.labels) })),
    tasks: swarm.tasks.map((t) => (t.error === undefined ? t : { ...t, error: redactValue(t.error) })),
  };
}

/** A network with its labels and options (ICC-1 and the other driver options stay: none is secret-named). */
export function redactNetwork(n: Network): Network {
  return { ...n, labels: redactEntries(n.labels), options: redactEntries(n.options) };
}

/** A container with its labels redacted; exit errors and statuses are engine text that may quote a DSN. */
export function redactContainer(c: Container): Container {
  return {
    ...c,
    labels: redactEntries(c.labels),
    status: redactValue(c.status),
    ...(c.error === undefined ? {} : { error: redactValue(c.error) }),
  };
}
