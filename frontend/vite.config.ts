import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import preact from "@preact/preset-vite";
import tailwindcss from "@tailwindcss/vite";
import type { Plugin, Rolldown, Rollup } from "vite";
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

const EARLY_SLOT = "<!-- early-script -->";

/**
 * The fonts of every screen's first layout, preloaded with the page's own files so that they are
 * in before the first layout: then it uses them directly instead of looking up fallback fonts for
 * every size and weight, and the text does not change font once they arrive (docs/performance.md,
 * "Where the first screen's time goes"). Two files: with the early script, the bundle and the
 * stylesheet that is five requests, within the six connections a browser opens to an HTTP/1.1
 * server.
 */
const PRELOADED_FONTS = ["inter-latin-wght-normal", "lusitana-latin-400-normal"];

/**
 * src/early.js, run before the app, starts the opened screen's data request and preloads its code.
 * The build gives it each page's chunks (a page module's chunk and the chunks it imports, minus
 * the entry, which index.html loads anyway) and serves it under a hashed name, so that a cached
 * copy never names the chunks of another build. Next to it, index.html gets the preloads of
 * PRELOADED_FONTS under their hashed names.
 */
function earlyScript(): Plugin {
  const source = join(here, "src", "early.js");
  return {
    name: "early-script",
    enforce: "post",
    buildStart() {
      reached = new Map();
    },
    transformIndexHtml: {
      order: "pre",
      handler(html, context) {
        return context.server ? html.replace(EARLY_SLOT, '<script src="/src/early.js"></script>') : html;
      },
    },
    generateBundle(_, bundle) {
      const pages = pageFiles(bundle);
      const entry = Object.values(bundle).find((chunk) => chunk.type === "chunk" && chunk.isEntry);
      const first = FIRST_PAGES.flatMap((page) => pages[page] ?? []);
      if (entry?.type === "chunk") first.push(...entry.imports);
      if (first.some((file) => /[\\/]shared-[^/]*\.js$/.test(`/${file}`))) {
        this.error("the entry, the overview, the landing or the login page loads the pages' shared chunk: see sharedByPages");
      }
      const text = readFileSync(source, "utf8");
      for (const [, name] of text.matchAll(/, "(\w+)"\],$/gm)) {
        if (!name || !pages[name]) this.error(`src/early.js names a page src/pages/${name}.tsx that the build has not`);
      }
      const code = text
        .replace(/^\s*\/\/.*\n/gm, "") // its comments are for its readers, not for browsers
        .replace("/* page files */ {}", JSON.stringify(pages));
      const fileName = this.getFileName(this.emitFile({ type: "asset", name: "early.js", source: code }));
      const html = bundle["index.html"];
      if (html?.type !== "asset" || !String(html.source).includes(EARLY_SLOT)) {
        this.error(`index.html has no ${EARLY_SLOT} for the early script`);
      }
      const fonts = PRELOADED_FONTS.map((font) => {
        const file = Object.keys(bundle).find((name) => name.startsWith(`assets/${font}-`) && name.endsWith(".woff2"));
        if (!file) this.error(`the build has no font ${font} to preload: see PRELOADED_FONTS`);
        return `<link rel="preload" href="/${file}" as="font" type="font/woff2" crossorigin>`;
      });
      html.source = String(html.source).replace(EARLY_SLOT, [`<script src="/${fileName}"></script>`, ...fonts].join("\n    "));
    },
  };
}

/** Each page (src/pages/X.tsx) -> the files its dynamic import loads, its own first. */
function pageFiles(bundle: Rollup.OutputBundle): Record<string, string[]> {
  const pages: Record<string, string[]> = {};
  for (const chunk of Object.values(bundle)) {
    if (chunk.type !== "chunk" || chunk.isEntry) continue;
    for (const id of chunk.moduleIds) {
      const page = /[\\/]src[\\/]pages[\\/](\w+)\.tsx$/.exec(id)?.[1];
      if (page) pages[page] = chunkFiles(bundle, chunk.fileName);
    }
  }
  return pages;
}

/** A chunk's file and the files of the chunks it imports, without the entry's. */
function chunkFiles(bundle: Rollup.OutputBundle, fileName: string): string[] {
  const files = new Set<string>();
  const visit = (name: string) => {
    const found = bundle[name];
    if (found?.type !== "chunk" || found.isEntry || files.has(name)) return;
    files.add(name);
    found.imports.forEach(visit);
  };
  visit(fileName);
  return [...files];
}

/**
 * The small modules the pages share (components, helpers, icons) in two chunks, rather than one
 * chunk per set of pages using them: Chromium opens at most six connections to a server, so a
 * screen whose code comes in 7 files waits a round trip or more for the last ones. What the entry
 * needs stays in the entry. What the overview, the landing page and the login page need goes to
 * `common` (their first screens then load one file besides their own), the rest to `shared`
 * (every other screen loads its own file, `common` and `shared`). Those modules import icons one
 * by one: the icons' index would make every icon look needed.
 */
function sharedByPages(id: string, context: Rolldown.ChunkingContext): string | null {
  if (!/[\\/](src[\\/](components|lib)|@heroicons)[\\/]/.test(id)) return null;
  const pages = FIRST_PAGES.map((page) => join(here, "src", "pages", `${page}.tsx`));
  const entry = reachable(context, "entry", [join(here, "src", "main.tsx")]);
  if (entry.has(id)) return null;
  return reachable(context, "first", pages).has(id) ? "common" : "shared";
}

const FIRST_PAGES = ["Overview", "Landing", "Login"];
let reached = new Map<string, Set<string>>(); // forgotten at the start of each build (earlyScript)

/** Every module the given modules load by static imports (computed once per build and name). */
function reachable(context: Rolldown.ChunkingContext, name: string, from: string[]): Set<string> {
  const known = reached.get(name);
  if (known) return known;
  const found = new Set<string>();
  const visit = (id: string) => {
    if (found.has(id)) return;
    found.add(id);
    // Not through the icons' index, which re-exports every icon: the modules that stay out import
    // the icons they use one by one.
    if (!/@heroicons[\\/].*[\\/]index\.js$/.test(id)) context.getModuleInfo(id)?.importedIds.forEach(visit);
  };
  from.forEach(visit);
  reached.set(name, found);
  return found;
}

export default defineConfig({
  base: "/",
  // The app is written against React's API and runs on Preact's compatible one (the preset aliases
  // "react" and "react-dom"): a tenth of React's code to download and evaluate before the first
  // screen (docs/performance.md, "A lighter first screen").
  plugins: [preact(), tailwindcss(), swaggerUi(), earlyScript()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    rollupOptions: {
      output: {
        codeSplitting: {
          groups: [{ name: sharedByPages, debugName: "shared", minShareCount: 2, includeDependenciesRecursively: false }],
        },
      },
    },
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
