import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  CONTAINER_STATES,
  LINK_KINDS,
  NETWORK_KINDS,
  NETWORK_STYLES,
  STATE_STYLES,
} from "../../../server/model/graph-style.ts";
import { svgStyle } from "../../../server/model/export/svg-style.ts";
import { graphStyleSheet } from "../../../web/graph/style-sheet.ts";

const WEB = fileURLToPath(new URL("../../../web/", import.meta.url));

function cssFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? cssFiles(join(dir, e.name)) : e.name.endsWith(".css") ? [join(dir, e.name)] : [],
  );
}

/** `--net-x: #abc` declarations, per theme block. */
function vars(css: string, prefix: string): Map<string, string> {
  return new Map(
    [...css.matchAll(new RegExp(`--${prefix}-([a-z-]+):\\s*(#[0-9a-f]+)`, "g"))].map((m) => [m[1], m[2]]),
  );
}

describe("the style table and the page's CSS", () => {
  const sheet = graphStyleSheet();
  const [light, dark] = sheet.split("@media");

  it("the page's generated CSS has a colour per network kind and container state, in both themes", () => {
    for (const k of NETWORK_KINDS) {
      expect(vars(light, "net").get(k), `--net-${k} (light)`).toBe(NETWORK_STYLES[k].light);
      expect(vars(dark, "net").get(k), `--net-${k} (dark)`).toBe(NETWORK_STYLES[k].dark);
      expect(sheet).toContain(`.net-${k} { --c: var(--net-${k}); }`);
    }
    for (const s of CONTAINER_STATES) {
      expect(vars(light, "state").get(s), `--state-${s} (light)`).toBe(STATE_STYLES[s].light);
      expect(vars(dark, "state").get(s), `--state-${s} (dark)`).toBe(STATE_STYLES[s].dark);
      expect(sheet).toContain(`.state-${s} { --s: var(--state-${s}); }`);
    }
    for (const k of LINK_KINDS) expect(sheet).toContain(`.link:where(.${k}) {`);
  });

  it("the page's hand-written CSS names only kinds the table has, and defines none of their colours", () => {
    for (const file of cssFiles(WEB)) {
      const css = readFileSync(file, "utf8");
      expect([...vars(css, "net").keys(), ...vars(css, "state").keys()], file).toEqual([]);
      for (const m of css.matchAll(/(?:\.|var\(--)net-([a-z-]+)/g))
        expect(NETWORK_KINDS, file).toContain(m[1]);
      for (const m of css.matchAll(/(?:\.|var\(--)state-([a-z-]+)/g))
        expect(CONTAINER_STATES, file).toContain(m[1]);
    }
  });

  it("the SVG export's stylesheet styles every kind with the table's light colours", () => {
    const css = svgStyle();
    for (const k of NETWORK_KINDS) expect(css).toContain(`.net-${k} .shape{fill:${NETWORK_STYLES[k].light}`);
    for (const s of CONTAINER_STATES)
      expect(css).toContain(`.state-${s} .shape{fill:${STATE_STYLES[s].light}`);
    for (const k of LINK_KINDS) expect(css).toContain(`.link.${k}{`);
  });
});
