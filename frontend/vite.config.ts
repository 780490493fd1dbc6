import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import type { Plugin } from "vite";
import { defineConfig } from "vitest/config";

const apiTarget = process.env.API_URL ?? "http://127.0.0.1:8000";
const here = dirname(fileURLToPath(import.meta.url));

/**
 * The API docs page (/schema, rendered by the server) loads Swagger UI 5 from /swagger/ of this
 * build, so it works offline and renders OpenAPI 3.1 (which the server emits).
 */
function swaggerUi(): Plugin {
  const files = ["swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css", "favicon-32x32.png", "LICENSE"];
  return {
    name: "copy-swagger-ui",
    apply: "build",
    writeBundle(options) {
      const source = join(here, "node_modules", "swagger-ui-dist");
      const target = join(options.dir ?? join(here, "dist"), "swagger");
      mkdirSync(target, { recursive: true });
      for (const file of files) copyFileSync(join(source, file), join(target, file));
    },
  };
}

export default defineConfig({
  base: "/",
  plugins: [react(), tailwindcss(), swaggerUi()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
  },
  server: {
    proxy: {
      "/api": apiTarget,
      "/schema": apiTarget,
    },
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
