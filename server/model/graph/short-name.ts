/** Swarm task containers are `service.slot.taskid`; the task ID adds nothing to a label. */
const SWARM_TASK = /^(.+\.\d+)\.[a-z0-9]{25}$/;
/** Longest label drawn; longer names keep their start and their end (`very-long-na…service-1`). */
export const MAX_LABEL = 24;

/** Cuts `value` to `max` characters by taking out its middle, where long names are least distinctive. */
export function middleEllipsis(value: string, max = MAX_LABEL): string {
  if (value.length <= max) return value;
  const head = Math.ceil((max - 1) / 2);
  return `${value.slice(0, head)}…${value.slice(value.length - (max - 1 - head))}`;
}

/**
 * A name as the graph draws it: a swarm task without its task ID; inside a compose project's outline without
 * the implied project prefix (`shop-web-1` reads `web-1`); shortened in the middle. The full name goes in the
 * tooltip.
 */
export function shortName(name: string, project?: string | null): string {
  let short = SWARM_TASK.exec(name)?.[1] ?? name;
  const sep = project ? short[project.length] : undefined;
  if (
    project &&
    short.length > project.length + 1 &&
    (sep === "-" || sep === "_") &&
    short.startsWith(project)
  )
    short = short.slice(project.length + 1);
  return middleEllipsis(short);
}
