import type { State, Store } from "./store.ts";

const FOLDS = ["whatif-fold", "legend-fold"] as const;

/**
 * What-if and the legend fold away while something is selected or explained, so the answer has the height;
 * the legend opens again when the selection clears. A fold the user opens stays open while the selection lasts.
 */
export function createSideFolds(store: Store): void {
  const folds = FOLDS.map((id) => document.getElementById(id)).filter(
    (el): el is HTMLDetailsElement => el instanceof HTMLDetailsElement,
  );
  let busy: boolean | null = null;
  const apply = (state: State): void => {
    const now = state.selectedId !== null || state.pair !== null;
    if (now === busy) return;
    busy = now;
    for (const fold of folds) {
      // A selection made inside the fold (What-if's own target picker) leaves it open.
      if (now && !fold.contains(document.activeElement)) fold.open = false;
      else if (fold.id === "legend-fold") fold.open = true;
    }
  };
  store.subscribe(apply);
  apply(store.get());
}
