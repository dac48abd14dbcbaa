/** Every probe helper carries this label, so leftovers can be listed; only a valid MAC label proves one is ours. */
export const PROBE_LABEL = "reachgraph.probe";
export const PROBE_RUN_LABEL = "reachgraph.probe.run";
export const PROBE_SOURCE_LABEL = "reachgraph.probe.source";
/** Epoch milliseconds after which the helper is certainly a leftover (its run would have removed it). */
export const PROBE_DEADLINE_LABEL = "reachgraph.probe.deadline";
/** `<hostname>:<pid>` of the creating process, so the next run can tell a SIGKILLed run's helpers. */
export const PROBE_OWNER_LABEL = "reachgraph.probe.owner";
/** HMAC of the labels above under a key only this user's reachgraph holds: proof that reachgraph made it. */
export const PROBE_MAC_LABEL = "reachgraph.probe.mac";
