import { markBidi } from "../../server/model/escape/bidi.ts";
import type { Frame } from "./canvas-paint.ts";
import type { LaneView } from "./model.ts";

const FONT = "12px system-ui, sans-serif";
const NAME_FONT = "600 13px system-ui, sans-serif";

/**
 * A fleet's machine tiles: a rounded square each (dashed in the warning colour when the machine is down or
 * stale), and its name and health along the top edge in screen space, so it reads at every zoom. Drawn first,
 * under everything; far out over the raster with outlines only, so the dots stay visible.
 */
export function paintLanes(
  ctx: CanvasRenderingContext2D,
  lanes: readonly LaneView[],
  f: Frame,
  outlineOnly: boolean,
): void {
  const { t, theme } = f;
  ctx.setTransform(f.dpr * t.k, 0, 0, f.dpr * t.k, f.dpr * t.x, f.dpr * t.y);
  ctx.globalAlpha = 1;
  for (const l of lanes) {
    const down = l.state !== "live";
    ctx.beginPath();
    ctx.roundRect(l.x0, l.y0, l.x1 - l.x0, l.y1 - l.y0, 24);
    if (!outlineOnly) {
      ctx.fillStyle = theme.lane;
      ctx.fill();
    }
    ctx.strokeStyle = down ? theme.warn : theme.laneLine;
    ctx.lineWidth = 1.5 / t.k;
    ctx.setLineDash(down ? [8 / t.k, 5 / t.k] : []);
    ctx.stroke();
  }
  ctx.setLineDash([]);
  ctx.setTransform(f.dpr, 0, 0, f.dpr, 0, 0);
  ctx.textAlign = "left";
  ctx.textBaseline = "top";
  for (const l of lanes) {
    const [x, y] = [t.x + l.x0 * t.k + 10, t.y + l.y0 * t.k + 8];
    const right = t.x + l.x1 * t.k - 10;
    if (x > f.width || y > f.height || right < x || t.y + l.y1 * t.k < 0) continue;
    // The line stays inside its tile; the fleet strip has it whole.
    ctx.save();
    ctx.beginPath();
    ctx.rect(x, y, right - x, 20);
    ctx.clip();
    const name = markBidi(l.key);
    ctx.font = NAME_FONT;
    ctx.fillStyle = theme.fg;
    ctx.fillText(name, x, y);
    const w = ctx.measureText(name).width;
    ctx.font = FONT;
    ctx.fillStyle = l.state === "live" ? theme.muted : theme.warnText;
    const state = l.state === "live" ? "" : `${l.state.toUpperCase()} · `;
    ctx.fillText(markBidi(`${state}${l.text}`), x + w + 8, y + 1);
    ctx.restore();
  }
}
