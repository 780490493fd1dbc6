// Regenerates src/api/schema.d.ts from the API's OpenAPI document.
// Source: the first argument, else $OPENAPI_URL, else a local server (a URL or a file path).
import { execFileSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const source = process.argv[2] ?? process.env.OPENAPI_URL ?? "http://127.0.0.1:8000/schema/openapi.json";
const output = process.argv[3] ?? resolve(root, "src/api/schema.d.ts");
const bin = resolve(root, "node_modules/.bin/openapi-typescript");
execFileSync(bin, [source, "-o", output], { stdio: "inherit", cwd: root });
