#!/usr/bin/env bash
# Runs one fuzz harness for a while on its seed corpus and reports executions.
# usage: run.sh BINARY NAME SECONDS
set -euo pipefail
bin=$1 name=$2 secs=$3
here=$(cd "$(dirname "$0")" && pwd)
corpus=fuzz-corpus/$name
out=fuzz-out/$name
mkdir -p "$corpus" "$out"
# Seeds: the harness's own directory plus matching test data.
if [ -d "$here/seeds/$name" ]; then cp -n "$here/seeds/$name"/* "$corpus"/ 2>/dev/null || true; fi
case $name in
	csv) find "$here/../data/sheets" "$here/../data/import" -type f -name '*.csv' -exec cp -n {} "$corpus"/ \; ;;
	coupang_json) find "$here/../data/coupang" -type f -name '*.json' -exec cp -n {} "$corpus"/ \; 2>/dev/null || true ;;
	smartstore_json) find "$here/../data/smartstore" -type f -name '*.json' -exec cp -n {} "$corpus"/ \; 2>/dev/null || true ;;
	elevenst_xml) find "$here/../data/11st" -type f -name '*.xml' -exec cp -n {} "$corpus"/ \; 2>/dev/null || true ;;
	template) find "$here/../../templates" "$here/../data/templates" -type f -name '*.ini' -exec cp -n {} "$corpus"/ \; 2>/dev/null || true ;;
	xlsx) find "$here/../data" -type f -name '*.xlsx' -exec cp -n {} "$corpus"/ \; 2>/dev/null || true ;;
esac
log=$out/log.txt
set +e
"$bin" "$corpus" -max_total_time="$secs" -artifact_prefix="$out/" -print_final_stats=1 >"$log" 2>&1
rc=$?
set -e
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
echo "fuzz $name: ${execs:-?} executions in ${secs}s, exit $rc$( [ $rc -ne 0 ] && echo ", see $out")"
exit $rc
