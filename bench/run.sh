#!/usr/bin/env bash
# orderbridge benchmarks (see bench/RESULTS.md for what each figure means).
#
#   bench/run.sh [--full] [--only export,convert,import,xlsx] [--build DIR] [--keep] [--repeat N]
#
# Small sizes by default (a few minutes); --full uses the sizes of the
# performance issue (export >= 50,000 lines, 10^6-line conversion and import,
# 200,000-row workbook; about half an hour). Every ratio is against a baseline
# measured in the same run on the same machine. Needs: jq, python3, GNU time
# (/usr/bin/time), curl; LibreOffice (soffice) for the XLSX comparison.
# The CPU-bound comparisons (conversion vs jq, import vs Python) run each side
# --repeat times (default 3) and keep each side's fastest run: on a shared
# machine a single run of either side may be slowed by a neighbour.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=$root/build
full=0
only=export,convert,import,xlsx
keep=0
repeat=3
while [ $# -gt 0 ]; do
	case $1 in
	--full) full=1 ;;
	--only) only=$2; shift ;;
	--build) build=$2; shift ;;
	--keep) keep=1 ;;
	--repeat) repeat=$2; shift ;;
	*) echo "usage: bench/run.sh [--full] [--only LIST] [--build DIR] [--keep] [--repeat N]" >&2; exit 2 ;;
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
# The same for the fastest of $repeat runs (its output stays in $work/last.*;
# peak RSS is the largest of the runs).
best() {
	local i r t m bt="" bm=0
	for ((i = 0; i < repeat; i++)); do
		r=$(measure "$@") || return 1
		t=${r% *} m=${r#* }
		if [ -z "$bt" ] || [ "$(echo "$t < $bt" | bc -l)" = 1 ]; then bt=$t; fi
		[ "$m" -gt "$bm" ] && bm=$m
	done
	echo "$bt $bm"
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

# ------------------------------------------------------------- convert ----
# Order lines an `export --from-dump` run reported on stderr ($work/last.err).
dump_lines() {
	sed -n 's/.* recorded answers, \([0-9]*\) order lines.*/\1/p' "$work/last.err" | paste -sd+ | bc
}

bench_convert() {
	local sizes="10000 100000"
	[ $full = 1 ] && sizes="10000 100000 1000000"
	local ncpu
	ncpu=$(nproc)
	echo
	echo "## 2. Conversion: recorded API pages -> unified orders CSV (export --from-dump; a third of the lines per market)"
	echo "threads: --jobs 1, and the default (one per processor: $ncpu here); jq has one"
	printf '%-9s %10s %8s %12s | %-24s %-24s %-20s %8s %8s\n' lines "all: s" "MB" "lines/s" \
		"coupang: ours s (MB)" "ours --jobs 1 s (MB)" "jq s (MB)" "ratio" "ratio/1"
	for n in $sizes; do
		local d=$work/dump$n
		python3 "$here/gen_dump.py" "$root/tests/data" "$d" "$n"
		local a c c1 j
		a=$(best "$ob" export --from-dump "$d" --what orders --force -o "$work/conv.csv")
		local lines
		lines=$(dump_lines)
		c=$(best "$ob" export --from-dump "$d" --market coupang --what orders --force -o "$work/convc.csv")
		local clines
		clines=$(dump_lines)
		c1=$(best "$ob" export --from-dump "$d" --market coupang --what orders --force --jobs 1 -o "$work/convc.csv")
		j=$(best sh -c "find '$d/coupang' -name '*.json' | sort | xargs cat | jq -r -f '$here/coupang.jq' > '$work/jq.csv'")
		local jlines
		jlines=$(wc -l <"$work/jq.csv")
		[ "$jlines" = "$clines" ] || echo "WARNING: jq wrote $jlines lines, orderbridge $clines"
		# Throughput from wall time of the whole process (start-up included).
		printf '%-9s %10.2f %8.1f %12.0f | %8.2f s (%5.1f MB)     %8.2f s (%5.1f MB)     %7.2f s (%5.1f MB) %8.1f %8.1f\n' \
			"$lines" "${a% *}" "$(echo "${a#* } / 1024" | bc -l)" "$(echo "$lines / ${a% *}" | bc -l)" \
			"${c% *}" "$(echo "${c#* } / 1024" | bc -l)" "${c1% *}" "$(echo "${c1#* } / 1024" | bc -l)" \
			"${j% *}" "$(echo "${j#* } / 1024" | bc -l)" \
			"$(echo "${j% *} / ${c% *}" | bc -l)" "$(echo "${j% *} / ${c1% *}" | bc -l)"
		rm -rf "$d" "$work"/conv*.csv "$work"/convc* "$work/jq.csv"
	done
}

# a client configuration with accounts of every market (from a sandbox)
sandbox_config() {
	[ -s "$work/imp.ini" ] && return 0
	"$ob" sandbox --port 0 --write-config "$work/imp.ini" --orders 10 >/dev/null 2>&1 &
	local pid=$!
	for _ in $(seq 100); do [ -s "$work/imp.ini" ] && break; sleep 0.2; done
	kill "$pid"; wait "$pid" 2>/dev/null || true
}

# -------------------------------------------------------------- import ----
bench_import() {
	local n=100000
	[ $full = 1 ] && n=1000000
	echo
	echo "## 3. Import planning: $n-row edited orders sheet (1/4 ACK, 1/4 SHIP), dry run"
	sandbox_config
	"$build/bench/bench_xlsx" write "$work/imp.csv" "$n" edited >/dev/null
	echo "sheet: $(du -h "$work/imp.orders.csv" | cut -f1)"
	local o p
	# a fresh store each run, as the first run had
	o=$(best sh -c "rm -f '$work'/imp.db*; exec '$ob' --config '$work/imp.ini' import '$work/imp.orders.csv' --store '$work/imp.db'")
	p=$(best python3 -c "import csv, sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline='', encoding='utf-8-sig'))))" "$work/imp.orders.csv")
	echo "orderbridge import (validate + plan): ${o% *} s, $(echo "${o#* } / 1024" | bc -l | xargs printf '%.1f') MB peak RSS"
	echo "python3 csv.reader (read only):        ${p% *} s, $(echo "${p#* } / 1024" | bc -l | xargs printf '%.1f') MB peak RSS"
	echo "orderbridge / python time: $(echo "${o% *} / ${p% *}" | bc -l | xargs printf '%.2f') (target <= 0.5)"
	# The floor: libcsv alone over the file (callbacks that only count), with
	# the space test the reader uses (sellers' spaces kept) and without it.
	local fk fd
	fk=$(best "$build/bench/bench_csv_floor" "$work/imp.orders.csv" keep-spaces)
	fd=$(best "$build/bench/bench_csv_floor" "$work/imp.orders.csv")
	echo "libcsv alone, one thread: ${fk% *} s keeping spaces (the reader's setting), ${fd% *} s trimming them"
	echo "libcsv alone (keeping spaces) / python time: $(echo "${fk% *} / ${p% *}" | bc -l | xargs printf '%.2f')"
	# The import's CPU time (user + sys, one more run): with $(nproc) cores no
	# schedule of that work ends sooner than CPU / cores.
	local c
	rm -f "$work"/imp.db*
	/usr/bin/time -f '%U %S' -o "$work/cpu" "$ob" --config "$work/imp.ini" import "$work/imp.orders.csv" \
		--store "$work/imp.db" >/dev/null 2>&1
	c=$(awk '{ printf "%.2f", $1 + $2 }' "$work/cpu")
	echo "orderbridge import CPU: $c s (user + sys); / $(nproc) cores = $(echo "$c / $(nproc)" | bc -l | xargs printf '%.2f') s = $(echo "$c / $(nproc) / ${p% *}" | bc -l | xargs printf '%.2f') x python time (the least wall time that CPU allows)"
	rm -f "$work"/imp.orders.csv "$work"/imp.db*
}

# ---------------------------------------------------------------- xlsx ----
bench_xlsx() {
	local n=20000
	[ $full = 1 ] && n=200000
	echo
	echo "## 4. XLSX: $n-row orders workbook"
	local w r l
	w=$(measure "$build/bench/bench_xlsx" write "$work/x.xlsx" "$n")
	r=$(measure "$build/bench/bench_xlsx" read "$work/x.xlsx")
	echo "orderbridge write: ${w% *} s, $(echo "${w#* } / 1024" | bc -l | xargs printf '%.1f') MB; read back: ${r% *} s, $(echo "${r#* } / 1024" | bc -l | xargs printf '%.1f') MB ($(du -h "$work/x.xlsx" | cut -f1))"
	if command -v soffice >/dev/null; then
		local prof="-env:UserInstallation=file://$work/lo-profile"
		# The first start builds the profile: not part of the figure.
		"$build/bench/bench_xlsx" write "$work/tiny.xlsx" 10 >/dev/null
		soffice "$prof" --headless --convert-to csv --outdir "$work/lo" "$work/tiny.xlsx" >/dev/null 2>&1 || true
		l=$(measure soffice "$prof" --headless --convert-to csv --outdir "$work/lo" "$work/x.xlsx")
		echo "LibreOffice xlsx -> csv: ${l% *} s, $(echo "${l#* } / 1024" | bc -l | xargs printf '%.1f') MB ($(( $(wc -l <"$work/lo/x.csv") - 1 )) rows)"
		echo "orderbridge read / LibreOffice: $(echo "${r% *} / ${l% *}" | bc -l | xargs printf '%.2f') time"
	else
		echo "soffice not found: no LibreOffice figure"
	fi
}

want export && bench_export
want convert && bench_convert
want import && bench_import
want xlsx && bench_xlsx
exit 0
