#!/bin/sh
# Container start-up, before the server: refuse to start when a production secret is missing, then
# give the data volume the shipped scenario files it does not have yet.
set -eu

# Settings are checked here, not on the first page view: a missing secret stops the container.
python -m core.config

# Scenarios live in the volume because reviewers edit them in the console. A file the volume lacks
# (first start, or a topic a new image adds) is copied from the image; an existing one is never
# overwritten, since it may hold a reviewer's saved version.
shipped="$(cd "$(dirname "$0")/.." && pwd)/scenarios"  # /app/scenarios in the image
target="${CAREOPS_SCENARIOS_DIR:-$shipped}"
if [ "$target" != "$shipped" ]; then
    mkdir -p "$target"
    for file in "$shipped"/*.yaml; do
        [ -e "$target/$(basename "$file")" ] || cp "$file" "$target/"
    done
fi

exec "$@"
