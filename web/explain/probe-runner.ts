import { postProbe } from "../api.ts";
import type { ReachModel } from "../reach/model.ts";
import type { Store } from "../store.ts";

/** Runs "Probe now" for the explained pair; one run at a time, cancelled by Cancel or a new pair. */
export function createProbeRunner(store: Store, model: () => ReachModel | null) {
  let controller: AbortController | null = null;

  function cancel(): void {
    if (!controller) return;
    controller.abort();
    controller = null;
    const pair = store.get().pair;
    if (pair && store.get().probe?.state === "running") store.setProbe({ pair, state: "cancelled" });
  }

  async function run(): Promise<void> {
    const { pair } = store.get();
    const m = model();
    if (!pair || !m) return;
    cancel();
    const mine = new AbortController();
    controller = mine;
    store.setProbe({ pair, state: "running" });
    try {
      const answer = await postProbe(m.nameOf(pair.from), m.nameOf(pair.to), mine.signal);
      if (controller !== mine) return;
      store.setProbe({ pair, state: "done", ...answer });
    } catch (error) {
      if (controller !== mine || mine.signal.aborted) return;
      store.setProbe({ pair, state: "error", error: (error as Error).message });
    } finally {
      if (controller === mine) controller = null;
    }
  }

  return { run, cancel };
}
