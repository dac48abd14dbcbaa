import type { Container } from "../server/model/topology.ts";

/** `docker ps`'s wording of a duration (go-units `HumanDuration`), so the page and the CLI agree. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 1) return "Less than a second";
  if (seconds === 1) return "1 second";
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(seconds / 60);
  if (minutes === 1) return "About a minute";
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(ms / 3_600_000);
  if (hours === 1) return "About an hour";
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(Math.floor(ms / 3_600_000) / 24 / 365)} years`;
}

/**
 * The status of a container at `now`: "Up …" counted from its start time (the list's text is only true when
 * it was read), keeping the engine's suffix such as "(healthy)" or "(Paused)"; otherwise the engine's text.
 */
export function liveStatus(c: Pick<Container, "status" | "startedAt">, now: number): string {
  const started = c.startedAt ? Date.parse(c.startedAt) : Number.NaN;
  const up = /^Up .+?( \([^)]*\))?$/.exec(c.status);
  if (Number.isNaN(started) || !up) return c.status;
  return `Up ${humanDuration(Math.max(0, now - started))}${up[1] ?? ""}`;
}

let clock: ReturnType<typeof setInterval> | null = null;

/**
 * A status that keeps counting: an element the page-wide clock refreshes every second while it is shown. Only
 * a live topology counts on; a snapshot or an example keeps the status it was recorded with.
 */
export function statusAge(c: Container, live: boolean): HTMLElement {
  const el = document.createElement("span");
  el.className = "status-age";
  el.textContent = (live ? liveStatus(c, Date.now()) : c.status) || "—";
  if (!live || !c.startedAt) return el;
  el.dataset.status = c.status;
  el.dataset.started = c.startedAt;
  clock ??= setInterval(() => {
    const now = Date.now();
    for (const age of document.querySelectorAll<HTMLElement>(".status-age[data-started]"))
      age.textContent = liveStatus({ status: age.dataset.status ?? "", startedAt: age.dataset.started }, now);
  }, 1000);
  return el;
}
