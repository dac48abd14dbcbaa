import type { Store } from "../store.ts";
import type { TeachView, UrlView } from "../url-state.ts";
import { createDriverPanel } from "./driver-panel.ts";
import { sectionOfRule } from "./drivers.ts";
import { teachSource } from "./source.ts";
import "./teach.css";
import { createTeachBar } from "./toolbar.ts";
import { createWhatIfPanel } from "./what-if-panel.ts";

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`index.html has no #${id}`);
  return el;
}

/**
 * Rule badges are links to the rules reference; a plain click on one outside the driver panel opens the panel
 * at its rule instead, where the page teaches it (a modified or middle click still follows the link).
 */
function linkRuleBadges(open: (rule: string) => void): void {
  document.addEventListener("click", (event) => {
    const badge = event.target instanceof Element ? event.target.closest("a.rule") : null;
    if (!badge || badge.closest("#drivers")) return;
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    const rule = badge.textContent?.trim() ?? "";
    if (!sectionOfRule(rule)) return;
    event.preventDefault();
    open(rule);
  });
}

/** The teaching state as the URL holds it, and how a link's teaching state is reopened. */
export interface TeachUrl {
  view(): TeachView;
  subscribe(listener: () => void): void;
  /** Shows the link's example, applies its what-ifs, then its selection and pair (which may live only there). */
  restore(initial: UrlView): Promise<void>;
}

/** Resolves once the store holds a topology. */
function topologyShown(store: Store): Promise<void> {
  return new Promise((resolve) => {
    if (store.get().topology) return resolve();
    const stop = store.subscribe((state) => {
      if (!state.topology) return;
      stop();
      resolve();
    });
  });
}

/**
 * The teaching tools: example topologies, the driver panel, what-if toggles (client-side), snapshot and export.
 * Examples and what-ifs are state in the store; each panel redraws when what it reads changes.
 */
export function setupTeach(store: Store): { feed: Store; url: TeachUrl } {
  const source = teachSource(store);
  const drivers = createDriverPanel(byId("drivers"));
  const whatIf = createWhatIfPanel(byId("whatif"), store, source);
  const bar = createTeachBar(byId("teach-bar"), source, drivers, () => store.get());
  store.watch(
    (s) => s.topology,
    (topology) => drivers.update(topology),
  );
  store.watch(
    (s) => [s.topology, s.selectedId, s.teach],
    (_, state) => whatIf.render(state),
  );
  linkRuleBadges((rule) => drivers.open({ rule }));
  const url: TeachUrl = {
    view: () => ({ example: source.get().example?.entry.slug ?? null, whatIfs: source.get().whatIfs }),
    subscribe: (listener) => source.subscribe(listener),
    async restore(initial) {
      if (initial.example && !(await bar.showExample(initial.example)))
        console.warn(`reachgraph: ignoring ?example=${initial.example}: no bundled example has that name`);
      await topologyShown(store);
      for (const w of initial.whatIfs) {
        const error = source.apply(w);
        if (error) console.warn(`reachgraph: ignoring a ?wi= what-if (${w.kind}): ${error}`);
      }
      if (initial.selectedId) store.select(initial.selectedId);
      if (initial.pair) store.setPair(initial.pair);
    },
  };
  // Examples and what-ifs are state in the store itself: the stream feeds the store directly.
  return { feed: store, url };
}
