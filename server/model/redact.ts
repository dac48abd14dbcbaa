/** Label keys whose values must never leave the server: they look like credentials. */
const SECRET_KEY = /pass(word|wd)?|secret|token|key|credential|private/i;

export const REDACTED = "[redacted]";

/** Returns a copy of `labels` with the values of secret-looking keys replaced by {@link REDACTED}. */
export function redactLabels(labels: Record<string, string> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels ?? {})) {
    out[key] = SECRET_KEY.test(key) ? REDACTED : value;
  }
  return out;
}
