export { runHelper } from "./helper.ts";
export { loadSigner, stateDir } from "./ownership.ts";
export type { HelperSigner } from "./ownership.ts";
export { sweepPeriodically, sweepProbeHelpers } from "./sweep.ts";
export type { HelperRequest, HelperRun } from "./helper.ts";
export { observePairs } from "./observe.ts";
export { planProbes } from "./plan.ts";
export type { PairPlan, PlannedCheck, PlanOptions, SourcePlan } from "./plan.ts";
export {
  DEFAULT_PROBE_CONCURRENCY,
  ProbeAbortedError,
  ProbeImageError,
  estimateTimeoutMs,
  runProbes,
} from "./run-probes.ts";
export type { ProbeOptions } from "./run-probes.ts";
export { DEFAULT_PROBE_IMAGE } from "./probe-image.ts";
export { parseOutput, renderScript } from "./script.ts";
export { compareWithPrediction, formatDisagreements } from "../model/probe-compare.ts";
