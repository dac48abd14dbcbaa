/** Pixels per SVG unit: the CLI's PNG is drawn at device scale 2 as well (server/export/png.ts). */
const SCALE = 2;

/**
 * Draws an export SVG onto a canvas and returns it as PNG: the browser already is a renderer, so the page
 * needs neither the server's Chromium nor a network. The SVG is self-contained (no fonts or images to fetch).
 */
export async function svgToPng(svg: string): Promise<Blob> {
  // Read from the root tag's text: parsing the SVG into a document would apply the page's CSP to its <style>.
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? "";
  const width = Number.parseFloat(/\swidth="([\d.]+)"/.exec(root)?.[1] ?? "");
  const height = Number.parseFloat(/\sheight="([\d.]+)"/.exec(root)?.[1] ?? "");
  if (!(width > 0 && height > 0)) throw new Error("the SVG has no width and height");
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml;charset=utf-8" }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = Math.ceil(width * SCALE);
    canvas.height = Math.ceil(height * SCALE);
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("this browser has no 2D canvas");
    ctx.scale(SCALE, SCALE);
    ctx.drawImage(image, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob(
        (blob) => (blob ? resolve(blob) : reject(new Error("the canvas gave no PNG"))),
        "image/png",
      ),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
