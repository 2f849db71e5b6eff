#!/usr/bin/env bash
# CI for plan design: the design command on the seeds' plan, its picture
# rendered in headless Chromium (Debian's chromium, installed when missing
# and run as root), and the exposure's property tests with many cases. It
# stops at the first failure.
#
#   examples/design/ci.sh                        # a few minutes
#   EXPOSURE_CHECKS=20000 examples/design/ci.sh  # more cases
set -euo pipefail
cd "$(dirname "$0")/../.."

EXPOSURE_CHECKS=${EXPOSURE_CHECKS:-5000}
step() { printf '\n==> %s\n' "$*"; }
run() { step "$*"; "$@"; }
start=$SECONDS

find_chromium() {
	for b in "${CHROMIUM:-}" chromium chromium-browser; do
		if [ -n "$b" ] && command -v "$b" >/dev/null 2>&1; then
			command -v "$b"
			return
		fi
	done
}
CHROMIUM=$(find_chromium)
if [ -z "$CHROMIUM" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	step "installing chromium from Debian's packages"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
	CHROMIUM=$(find_chromium)
fi
if [ -z "$CHROMIUM" ]; then
	echo "no chromium found: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM" >&2
	exit 1
fi
export CHROMIUM

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

step "go run ./examples/design on the seeds' plan"
go run ./examples/design examples/design/seeds.json -start 2026-01-05 \
	-prices examples/design/seeds-prices.json -cap 80.00 \
	-svg "$out/seeds.svg" -worst "$out/worst.json" | tee "$out/report.txt"
grep -q 'can take 140.94 of core treatments by day 80' "$out/report.txt" ||
	{ echo "the seeds' report lost its peak"; exit 1; }
cmp "$out/seeds.svg" examples/design/seeds.svg ||
	{ echo "the seeds' picture differs from examples/design/seeds.svg"; exit 1; }

step "the worst client replays to the peak"
go run ./examples/replay "$out/worst.json" | tail -n 1 | tee "$out/worst.out"
grep -q '"coreValue":"140.94","paid":"0.00"' "$out/worst.out" ||
	{ echo "the worst client does not replay to 140.94"; exit 1; }

step "render the seeds' picture in headless Chromium"
sh internal/timeline/testdata/render.sh "$out/seeds.svg" "$out/seeds.png"
ls -l "$out/seeds.png"

run go test -count=1 ./debt -run 'TestPropertyWorstClientReplays|TestPropertyNoClientBeatsTheCurve|TestPropertyDaysRuleAgainstEngine' \
	-rapid.checks="$EXPOSURE_CHECKS" -rapid.nofailfile
run go test -count=1 ./internal/exposure -run 'TestBruteForce|TestCurveMonotone|TestClientsReachTheirPoints' \
	-rapid.checks="$EXPOSURE_CHECKS" -rapid.nofailfile
run go test -count=1 -run '^$' -bench BenchmarkExposure -benchtime 20x ./debt

step "plan design checks passed in $((SECONDS - start))s"
