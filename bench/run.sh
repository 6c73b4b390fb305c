#!/usr/bin/env bash
# orderbridge benchmarks (see bench/RESULTS.md for what each figure means).
#
#   bench/run.sh [--full] [--only export,convert,import,xlsx] [--build DIR] [--keep]
#
# Small sizes by default (a few minutes); --full uses the sizes of the
# performance issue (export >= 50,000 lines, 10^6-line conversion and import,
# 200,000-row workbook; about half an hour). Every ratio is against a baseline
# measured in the same run on the same machine. Needs: jq, python3, GNU time
# (/usr/bin/time), curl; LibreOffice (soffice) for the XLSX comparison.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=$root/build
full=0
only=export,convert,import,xlsx
keep=0
while [ $# -gt 0 ]; do
	case $1 in
	--full) full=1 ;;
	--only) only=$2; shift ;;
	--build) build=$2; shift ;;
	--keep) keep=1 ;;
	*) echo "usage: bench/run.sh [--full] [--only LIST] [--build DIR] [--keep]" >&2; exit 2 ;;
	esac
	shift
done
ob=$build/orderbridge
[ -x "$ob" ] || { echo "build first: cmake -S . -B build && cmake --build build" >&2; exit 2; }
for t in jq python3 curl /usr/bin/time; do
	command -v "$t" >/dev/null || { echo "bench needs $t" >&2; exit 2; }
done
work=$(mktemp -d /tmp/ob-bench.XXXXXX)
sbpid=
cleanup() {
	[ -n "$sbpid" ] && kill "$sbpid" 2>/dev/null && wait "$sbpid" 2>/dev/null
	[ "$keep" = 1 ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT

# "SECONDS KB" of a command (wall time and peak RSS); its output goes to $work/last.*.
measure() {
	/usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/last.out" 2>"$work/last.err" || {
		echo "failed: $*" >&2; tail -5 "$work/last.err" >&2; return 1; }
	cat "$work/time"
}
want() { case ",$only," in *",$1,"*) return 0 ;; esac; return 1; }

echo "# orderbridge bench $(date -u +%FT%TZ) $(git -C "$root" rev-parse --short HEAD 2>/dev/null || true)"
echo "# machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(uname -sr), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "# mode: $([ $full = 1 ] && echo full || echo small)"

# ---------------------------------------------------------------- export ----
bench_export() {
	local orders burst days=90 latency=300
	if [ $full = 1 ]; then orders=15000; burst=4000; else orders=1500; burst=3200; fi
	local today from
	today=$(TZ=Asia/Seoul date +%F)
	from=$(TZ=Asia/Seoul date -d "$today - $((days - 1)) days" +%F)
	local rate_cp=10 rate_11=5 rate_ss=8
	echo
	echo "## 1. API-bound export: $days days, $orders orders per market + a burst of $burst 11st orders on one day, latency ${latency} ms, gateway rates coupang $rate_cp/s, 11st $rate_11/s, smartstore $rate_ss/s"
	rm -f "$work/sb.ini"
	"$ob" sandbox --port 0 --write-config "$work/sb.ini" --today "$today" --days $days --orders $orders \
		--latency $latency --rate $rate_cp --market-rate 11st=$rate_11 --market-rate smartstore=$rate_ss \
		--burst "11st:$(TZ=Asia/Seoul date -d "$today - 20 days" +%F):$burst" --seed 1 \
		>"$work/sb.out" 2>"$work/sb.err" &
	sbpid=$!
	for _ in $(seq 600); do [ -s "$work/sb.ini" ] && break; sleep 0.5; done
	[ -s "$work/sb.ini" ] || { echo "sandbox did not start" >&2; cat "$work/sb.err" >&2; return 1; }
	# The client stays just under each gateway's rate (the contract's limit).
	python3 - "$work/sb.ini" "$work/client.ini" "$rate_cp" "$rate_11" "$rate_ss" <<'PY'
import sys, re, os
src, dst, cp, e11, ss = sys.argv[1:]
rates = {"coupang": float(cp), "11st": float(e11), "smartstore": float(ss)}
out, market = [], None
for line in open(src):
    m = re.match(r"\[(\w+)\.", line)
    if m:
        market = m.group(1)
        out.append(line)
        out.append(f"rate = {rates[market] * 0.95:g}\n")
        continue
    if re.match(r"\s*rate\s*=", line):
        continue
    out.append(line)
fd = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
os.write(fd, "".join(out).encode())
os.close(fd)
PY
	local ports
	ports=$(grep -o 'base_url = http://127.0.0.1:[0-9]*' "$work/sb.ini" | sed 's/.*http:/http:/')
	local runs="" name jobs
	for spec in "orderbridge --jobs 8:8" "orderbridge --jobs 1:1"; do
		name=${spec%:*}
		jobs=${spec##*:}
		for u in $ports; do curl -s -X POST "$u/_sandbox/reset-log" >/dev/null; done
		local tm
		tm=$(measure "$ob" --config "$work/client.ini" -q export --from "$from" --to "$today" --status all --all \
			--jobs "$jobs" -o "$work/exp$jobs.csv" --store "$work/exp$jobs.db")
		local logs="{" sep=""
		for u in $ports; do
			local m
			m=$(curl -s "$u/_sandbox/state" | jq -r .market)
			curl -s "$u/_sandbox/requests" >"$work/log.$jobs.$m.json"
			logs="$logs$sep\"$m\": \"$work/log.$jobs.$m.json\""
			sep=", "
		done
		logs="$logs}"
		local lines
		lines=$(( $(wc -l <"$work/exp$jobs.orders.csv") + $(wc -l <"$work/exp$jobs.claims.csv") - 2 ))
		echo "$name: $lines lines, $(echo "$tm" | awk '{printf "%.1f s, %.1f MB peak RSS", $1, $2/1024}')"
		runs="$runs${runs:+,}{\"name\": \"$name\", \"wall_s\": ${tm% *}, \"rss_kb\": ${tm#* }, \"logs\": $logs}"
	done
	cmp -s "$work/exp8.orders.csv" "$work/exp1.orders.csv" && cmp -s "$work/exp8.claims.csv" "$work/exp1.claims.csv" \
		&& echo "both runs wrote the same sheets" || echo "WARNING: the two runs' sheets differ"
	cat >"$work/export.json" <<JSON
{"from": "$from", "to": "$today", "latency_ms": $latency,
 "rates": {"coupang": $rate_cp, "11st": $rate_11, "smartstore": $rate_ss}, "runs": [$runs]}
JSON
	python3 "$here/export_report.py" "$work/export.json"
	kill "$sbpid"; wait "$sbpid" 2>/dev/null || true; sbpid=
}

want export && bench_export
exit 0
