/** The helper image probes run in unless `--probe-image` says otherwise (busybox's sh, ping, nc, nslookup). */
export const DEFAULT_PROBE_IMAGE = "busybox:latest";
