import { defineConfig } from "vite";

/** The web page: `index.html` at the repo root, built into `dist/web`, which `reachgraph serve` serves. */
export default defineConfig({
  root: ".",
  publicDir: false,
  build: {
    outDir: "dist/web",
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    // `npx vite` during development talks to a collector started with `serve --port 8099`.
    proxy: { "/api": { target: "http://127.0.0.1:8099", changeOrigin: false } },
  },
});
