import { constants } from "node:os";

/** The signals that end a run from a terminal, a service manager or a closed terminal. */
export const TERMINATION_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
export type TerminationSignal = (typeof TERMINATION_SIGNALS)[number];

/**
 * Calls `cleanup` on the first SIGINT, SIGTERM or SIGHUP, instead of dying at once, so probe helpers are
 * removed before exit; later signals only say that cleanup is under way. Returns the unregister function.
 */
export function onTermination(cleanup: (signal: TerminationSignal) => void): () => void {
  let seen: TerminationSignal | null = null;
  const handler = (signal: TerminationSignal) => {
    if (seen) {
      console.error(`reachgraph: ${signal}: still removing probe helpers after ${seen}`);
      return;
    }
    seen = signal;
    cleanup(signal);
  };
  for (const s of TERMINATION_SIGNALS) process.on(s, handler);
  return () => {
    for (const s of TERMINATION_SIGNALS) process.off(s, handler);
  };
}

/** The shell's exit status for a process ended by `signal` (128 + its number). */
export function signalExitCode(signal: TerminationSignal): number {
  return 128 + constants.signals[signal];
}
