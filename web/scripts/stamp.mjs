// The build writes pb_public/sources.sha256: a hash of every source file
// under web/ (not node_modules). A Go test recomputes it, so a commit that
// changes web/ without `make web` fails the tests instead of shipping stale
// pages. Keep this walk in step with sourcesHash in pb_public/stamp_test.go.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const skip = new Set(["node_modules", "dist", ".vite"]);

function walk(dir, files) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (skip.has(e.name) || e.name.startsWith(".")) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, files);
    else if (e.isFile()) files.push(p);
  }
  return files;
}

export function sourcesHash() {
  const files = walk(root, [])
    .map((p) => relative(root, p).split(sep).join("/"))
    .sort();
  const h = createHash("sha256");
  for (const f of files) {
    const body = readFileSync(join(root, f));
    h.update(`${f}\n${body.length}\n`);
    h.update(body);
  }
  return h.digest("hex");
}

export function stampPlugin() {
  return {
    name: "questbase-stamp",
    apply: "build",
    closeBundle() {
      const out = fileURLToPath(new URL("../../pb_public/sources.sha256", import.meta.url));
      writeFileSync(out, sourcesHash() + "\n");
    },
  };
}
