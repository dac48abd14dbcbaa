import type { WhatIf } from "../../server/model/what-if/index.ts";
import type { Store, TeachState } from "../store.ts";

export type { ExampleEntry } from "../../server/example/examples.ts";
export type { TeachState } from "../store.ts";

/** The teaching panels' view of the store: its teach state, and the actions that change it. */
export interface TeachSource {
  get(): TeachState;
  subscribe(listener: (state: TeachState) => void): void;
  /** Shows an example (null: back to the server's topology); what-ifs are dropped. */
  showExample(example: TeachState["example"]): void;
  /** Applies one more what-if; returns the error message when the engine would refuse it. */
  apply(whatIf: WhatIf): string | null;
  undo(): void;
  reset(): void;
}

/** The teach state's selector and actions on the one store (the state itself lives in web/store.ts). */
export function teachSource(store: Store): TeachSource {
  return {
    get: () => store.get().teach,
    subscribe: (listener) => void store.watch((s) => s.teach, listener),
    showExample: (example) => store.showExample(example),
    apply: (whatIf) => store.applyWhatIf(whatIf),
    undo: () => store.undoWhatIf(),
    reset: () => store.resetWhatIfs(),
  };
}
