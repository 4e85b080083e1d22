#!/usr/bin/env bash
# Smoke test of the frozen app: build it, then run it as a user would, headless.
#
#   packaging/smoke.sh [build.sh options]     # e.g. --clean, --venv DIR
#   SMOKE_SKIP_BUILD=1 packaging/smoke.sh     # test the dist/cmdesk/ already built
#
# Checks, from dist/cmdesk/ with a temporary profile and QT_QPA_PLATFORM=offscreen:
#   1. `cmdesk --version` prints the package version;
#   2. a refresh of feeds served on 127.0.0.1 parses in spawned worker processes
#      (packaging/frozen_check.py);
#   3. `cmdesk demo` fills a demo profile offline, and `cmdesk report` writes the
#      monthly summary (PDF, HTML, CSV) from it.
# Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
python="${PYTHON:-python3}"
export QT_QPA_PLATFORM=offscreen
unset PYTHONPATH PYTHONHOME CMDESK_PROFILE

step() { printf '\n== %s\n' "$*"; }
fail() { echo "SMOKE FAILED: $*" >&2; exit 1; }

if [ "${SMOKE_SKIP_BUILD:-}" != 1 ]; then
  step "build (packaging/build.sh $*)"
  start=$(date +%s)
  packaging/build.sh "$@"
  echo "build time: $(( $(date +%s) - start )) s"
fi
exe="$PWD/dist/cmdesk/cmdesk"
[ -x "$exe" ] || exe="$PWD/dist/cmdesk/cmdesk.exe"
[ -x "$exe" ] || fail "no executable in dist/cmdesk (build first)"
echo "dist size: $(du -sh dist/cmdesk | cut -f1) ($(find dist/cmdesk -type f | wc -l) files)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cmdesk-smoke.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"  # nothing of the repository is importable from here

step "cmdesk --version"
expected=$(cd / && "$python" -c "from importlib.metadata import version; print(version('cmdesk'))" 2>/dev/null || true)
got=$("$exe" --version) || fail "--version exited $?"
echo "$got"
[[ "$got" =~ ^cmdesk\ [0-9] ]] || fail "--version printed '$got'"
if [ -n "$expected" ] && [ "$got" != "cmdesk $expected" ]; then fail "--version printed '$got', the package says $expected"; fi

step "refresh on a loopback server, parsing in worker processes"
"$python" "$repo/packaging/frozen_check.py" "$exe"

step "demo profile and monthly report"
help=$("$exe" --help)
for cmd in demo report; do
  grep -Eq "^ +$cmd " <<<"$help" || fail "this build has no 'cmdesk $cmd' command"
done
profile="$tmp/demo-profile"
demo_args=(demo --profile "$profile")
"$exe" demo --help | grep -q -- "--no-open" && demo_args+=(--no-open)
start=$(date +%s)
"$exe" "${demo_args[@]}" || fail "cmdesk demo exited $?"
echo "demo: $(( $(date +%s) - start )) s"
"$exe" mentions list --json --limit 200 --profile "$profile" >"$tmp/mentions.json" || fail "mentions list exited $?"
"$python" -c 'import json, sys; rows = json.load(open(sys.argv[1])); print(len(rows), "mentions listed"); sys.exit(0 if rows else 1)' \
  "$tmp/mentions.json" || fail "the demo profile lists no mention"

out="$tmp/report"
mkdir -p "$out"
report_help=$("$exe" report --help)
report_args=(report --profile "$profile")
if grep -q -- "--out-dir" <<<"$report_help"; then report_args+=(--out-dir "$out")
elif grep -q -- "--out" <<<"$report_help"; then report_args+=(--out "$out")
else report_args+=("$out"); fi
start=$(date +%s)
"$exe" "${report_args[@]}" || fail "cmdesk ${report_args[*]} exited $?"
echo "report: $(( $(date +%s) - start )) s"
find "$out" -type f -printf '%P  %s bytes\n' | sort
for ext in pdf html csv; do
  f=$(find "$out" -type f -name "*.$ext" -size +0 | head -1)
  [ -n "$f" ] || fail "the report wrote no .$ext file"
done
head -c 5 "$(find "$out" -name '*.pdf' | head -1)" | grep -q '%PDF-' || fail "the PDF is not a PDF"

printf '\nSMOKE OK\n'
