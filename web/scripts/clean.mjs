// Removes the previous build from ../pb_public, keeping the Go files
// (embed.go and tests) that live there.
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const out = fileURLToPath(new URL("../../pb_public/", import.meta.url));
for (const name of readdirSync(out)) {
  if (name.endsWith(".go")) continue;
  rmSync(join(out, name), { recursive: true, force: true });
}
