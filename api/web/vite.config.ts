/**
 * The console's build (DECISIONS 57): root api/web, served by the API at /console/, output api/web/dist.
 * Every page is a lazy chunk (pages/<kind>/routes.tsx); the layout (ProLayout) is one too, so the first screen
 * (the login page) pulls React, the router and the parts of antd it uses; ECharts is a chunk of its own.
 */
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  base: "/console/",
  plugins: [react()],
  resolve: {
    // The published in-browser verifier (DECISIONS 62): the console imports this one entry, never other server code.
    alias: {
      "@partledger/verifier": fileURLToPath(new URL("../../ledger-service/src/verify-browser.ts", import.meta.url)),
    },
  },
  // Everything is bundled: no CDN, no request leaves the server's origin.
  build: {
    outDir: fileURLToPath(new URL("./dist", import.meta.url)),
    emptyOutDir: true,
    assetsDir: "assets",
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: false,
    rolldownOptions: {
      output: {
        // Lazy pages split by themselves; ECharts (≈1 MB) stays one chunk that only chart pages pull.
        codeSplitting: { groups: [{ name: "echarts", test: /node_modules[\\/](echarts|zrender)[\\/]/ }] },
      },
    },
  },
  server: { port: 5173 },
  logLevel: "warn",
});
