/** Debian's Chromium; the only browser reachgraph drives (apart from png.ts, so doctor can look without loading Playwright). */
export const CHROMIUM_PATH = "/usr/bin/chromium";
