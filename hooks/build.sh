#!/bin/sh
# ask-cli's custom build hook (`ask deploy` runs hooks/build.sh OUT_FILE DO_DEBUG from the
# repository root's build copy): the Lambda zip is built by `make lambda`, as without ask-cli.
set -eu
out="${1:?usage: hooks/build.sh OUT_FILE [DO_DEBUG]}"
root="$(cd "$(dirname "$0")/.." && pwd)"
make -C "$root" lambda
cp "$root/build/legtwitch-lambda.zip" "$out"
