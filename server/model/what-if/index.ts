export {
  applyWhatIf,
  applyWhatIfs,
  connectNetwork,
  disconnectNetwork,
  isWhatIfLabel,
  publishPort,
  setIcc,
  setInternal,
} from "./apply.ts";
export { findContainer, findNetwork } from "./lookup.ts";
export type * from "./types.ts";
export { WHAT_IF_MARK, WhatIfError } from "./types.ts";
