// One front-end project for every page the binary serves. `npm run build`
// writes into ../pb_public, which is committed and embedded by Go, so
// `go build` needs no Node.
import { defineConfig } from "vite";
import vue from "@vitejs/plugin-vue";
import { fileURLToPath } from "node:url";
import { stampPlugin } from "./scripts/stamp.mjs";

const page = (p) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  plugins: [vue(), stampPlugin()],
  base: "/",
  build: {
    outDir: "../pb_public",
    // pb_public also holds embed.go: scripts/clean.mjs removes the old build instead
    emptyOutDir: false,
    assetsDir: "assets",
    // browsers without modulepreload still load the modules, only later
    modulePreload: { polyfill: false },
    // the .wasm decoder must stay a file of its own, fetched only when a camera scan starts
    assetsInlineLimit: (file) => (file.endsWith(".wasm") ? false : undefined),
    target: "es2020",
    rollupOptions: {
      input: {
        index: page("./index.html"),
        organizer: page("./organizer/index.html"),
        host: page("./host/index.html"),
        app: page("./app/index.html"),
      },
      output: {
        // what every page shares (Vue, the PocketBase SDK) is one cached file
        manualChunks(id) {
          if (/node_modules\/(vue|@vue|pocketbase)\//.test(id)) return "vendor";
          if (id.includes("/src/shared/")) return "shared";
        },
      },
    },
  },
  server: {
    // `npm run dev` talks to a local `go run . serve`
    proxy: { "/api": { target: "http://127.0.0.1:8090", ws: false } },
  },
});
