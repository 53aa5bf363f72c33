import { defineConfig } from "vite";

// One app for agents, supervisors and admins, served by unicc from web/dist
// (http.web_root). No CDN: everything it needs is bundled.
export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 200 },
  server: { proxy: { "/api": { target: "http://127.0.0.1:8080", ws: true } } },
});
