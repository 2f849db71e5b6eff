#!/bin/sh
# render.sh SVG PNG: draws a timeline picture to PNG with headless Chromium,
# as a browser shows it, and fails when Chromium fails or the PNG is blank.
# Set CHROMIUM to the browser's path when it is not chromium on PATH.
set -eu

if [ $# -ne 2 ]; then
	echo "usage: $0 SVG PNG" >&2
	exit 2
fi
svg=$1
png=$2
here=$(cd "$(dirname "$0")" && pwd)

browser=${CHROMIUM:-}
if [ -z "$browser" ]; then
	for b in chromium chromium-browser google-chrome; do
		if command -v "$b" >/dev/null 2>&1; then
			browser=$b
			break
		fi
	done
fi
if [ -z "$browser" ]; then
	echo "$0: no Chromium found (apt-get install -y chromium, or set CHROMIUM)" >&2
	exit 1
fi
if [ ! -r "$svg" ]; then
	echo "$0: cannot read $svg" >&2
	exit 1
fi

# The window is as tall as the picture, so the PNG holds all of it.
height=$(sed -n 's/^<svg [^>]*height="\([0-9][0-9]*\)".*/\1/p' "$svg" | head -n 1)
height=${height:-720}
abs=$(cd "$(dirname "$svg")" && pwd)/$(basename "$svg")
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
rm -f "$png"

if ! timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic \
	--no-first-run --disable-background-networking --disable-component-update \
	--disable-sync --hide-scrollbars --user-data-dir="$profile" \
	--screenshot="$png" --window-size="960,$height" "file://$abs" >"$profile/log" 2>&1; then
	cat "$profile/log" >&2
	echo "$0: $browser failed on $svg" >&2
	exit 1
fi
if [ ! -s "$png" ]; then
	cat "$profile/log" >&2
	echo "$0: $browser wrote no screenshot for $svg" >&2
	exit 1
fi
pngabs=$(cd "$(dirname "$png")" && pwd)/$(basename "$png")
(cd "$here/pngcheck" && go run . "$pngabs")
