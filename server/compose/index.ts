export { COMPOSE_FILE_NAMES, OVERRIDE_FILE_NAMES, discoverInDirectory, discoverUpwards } from "./discover.ts";
export { loadComposeProject, loadResolvedProject } from "./load-project.ts";
export type { ComposeLoadOptions } from "./load-project.ts";
