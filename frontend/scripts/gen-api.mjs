// Regenerates src/api/schema.d.ts from the API's OpenAPI document.
// Source, first found: the first argument, $OPENAPI_URL, ./openapi.json (written by `make gen-api`),
// else a local server at http://127.0.0.1:8000. A URL or a file path both work.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const localFile = resolve(root, "openapi.json");
const source =
  process.argv[2] ??
  process.env.OPENAPI_URL ??
  (existsSync(localFile) ? localFile : "http://127.0.0.1:8000/schema/openapi.json");
const output = process.argv[3] ?? resolve(root, "src/api/schema.d.ts");
const bin = resolve(root, "node_modules/.bin/openapi-typescript");
execFileSync(bin, [source, "-o", output], { stdio: "inherit", cwd: root });
