#!/usr/bin/env bash
# The Coupang sandbox over real HTTP: starts `orderbridge sandbox` on a free
# port, signs requests with an independent HMAC (python3 hashlib, not the
# client's code) and checks the contract: auth errors, window and page limits,
# nextToken paging against /_sandbox/state, acknowledgement, invoices, raw
# 18-digit ids, a loaded data set and seeded faults.
set -u

: "${OB:?OB must point at the orderbridge binary}"
: "${OB_TEST_DATA:?OB_TEST_DATA must point at tests/data}"
tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

fails=0
pass() { echo "ok   - $1"; }
fail() { echo "FAIL - $1"; fails=$((fails + 1)); }
check() { # check NAME COND-EXIT-STATUS
	if [ "$2" -eq 0 ]; then pass "$1"; else fail "$1"; fi
}

A=/v2/providers/openapi/apis/api
V=A00012345

cat >"$tmp/sign.py" <<'EOF'
# sign.py METHOD PATH QUERY [SKEW_SECONDS] [SECRET]: the CEA Authorization value.
import hashlib, hmac, sys, time
method, path, query = sys.argv[1], sys.argv[2], sys.argv[3]
skew = int(sys.argv[4]) if len(sys.argv) > 4 else 0
secret = sys.argv[5] if len(sys.argv) > 5 else "7ffcdf980d908fe7ca3d642868e22f99f0306bf5"
date = time.strftime("%y%m%dT%H%M%SZ", time.gmtime(time.time() + skew))
sig = hmac.new(secret.encode(), (date + method + path + query).encode(), hashlib.sha256).hexdigest()
print("CEA algorithm=HmacSHA256, access-key=0a3a0f34-7852-4ad8-9368-766290b8b1ab, "
      "signed-date=%s, signature=%s" % (date, sig))
EOF

# start_sandbox NAME ARGS...: starts a sandbox writing $tmp/NAME.ini; sets PORT.
start_sandbox() {
	local name=$1
	shift
	"$OB" sandbox --port 0 --write-config "$tmp/$name.ini" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	pids+=($!)
	for _ in $(seq 1 200); do
		[ -s "$tmp/$name.ini" ] && break
		sleep 0.05
	done
	PORT=$(sed -n 's|^base_url = http://127.0.0.1:\([0-9]*\)$|\1|p' "$tmp/$name.ini")
	[ -n "$PORT" ]
}

# api METHOD PATH QUERY [BODY] [SKEW] [SECRET]: signed call to $PORT; the body
# goes to $tmp/body, the status to stdout. A 429 (the default rate limit) is
# waited out, as a client would.
api() {
	local m=$1 p=$2 q=$3 body=${4:-} skew=${5:-0} secret=${6:-}
	local url="http://127.0.0.1:$PORT$p"
	[ -n "$q" ] && url="$url?$q"
	local code
	for _ in $(seq 1 50); do
		local auth
		auth=$(python3 "$tmp/sign.py" "$m" "$p" "$q" "$skew" $secret)
		if [ -n "$body" ]; then
			code=$(curl -s -o "$tmp/body" -w '%{http_code}' -X "$m" -H "Authorization: $auth" \
				-H 'Content-Type: application/json;charset=UTF-8' --data-binary "$body" "$url")
		else
			code=$(curl -s -o "$tmp/body" -w '%{http_code}' -X "$m" -H "Authorization: $auth" "$url")
		fi
		[ "$code" != 429 ] && break
		sleep 0.15
	done
	echo "$code"
}

# js EXPR: evaluates a python expression over the last body (as j) and the
# last state (as s); prints the result.
js() {
	python3 - "$1" "$tmp/body" "$tmp/state" <<'EOF'
import json, sys
expr, body, state = sys.argv[1], sys.argv[2], sys.argv[3]
def load(p):
    try:
        return json.load(open(p, encoding="utf-8"))
    except Exception:
        return None
j, s = load(body), load(state)
print(eval(expr))
EOF
}

state() { curl -s "http://127.0.0.1:$PORT/_sandbox/state" >"$tmp/state"; }

start_sandbox main --today 2026-11-20
check "sandbox starts and writes its config" $?
check "config is mode 0600" "$([ "$(stat -c %a "$tmp/main.ini")" = 600 ]; echo $?)"
grep -q "^coupang listening on http://127.0.0.1:$PORT$" "$tmp/main.out"
check "prints the listening line" $?
state

LIST="$A/v5/vendors/$V/ordersheets"
Q31="createdAtFrom=2026-10-21%2B09:00&createdAtTo=2026-11-20%2B09:00"

code=$(api GET "$LIST" "$Q31&maxPerPage=50&status=ACCEPT")
check "signed list answers 200 with data" "$([ "$code" = 200 ] && [ "$(js 'type(j["data"]).__name__')" = list ]; echo $?)"

code=$(api GET "$LIST" "$Q31&maxPerPage=50&status=ACCEPT" "" 0 0000000000000000000000000000000000000000)
check "bad signature -> 401 Invalid signature." \
	"$([ "$code" = 401 ] && [ "$(js 'j["code"] + "|" + j["message"] + "|" + str(bool(j["transactionId"]))')" = "ERROR|Invalid signature.|True" ]; echo $?)"

code=$(api GET "$LIST" "$Q31&maxPerPage=50&status=ACCEPT" "" -600)
check "stale signed-date -> 401 expired" \
	"$([ "$code" = 401 ] && [ "$(js 'j["message"]')" = "Specified signature is expired." ]; echo $?)"

code=$(curl -s -o "$tmp/body" -w '%{http_code}' -H 'Authorization: CEA nonsense' "http://127.0.0.1:$PORT$LIST?$Q31&status=ACCEPT")
check "malformed header -> 401 HMAC format is invalid." \
	"$([ "$code" = 401 ] && [ "$(js 'j["message"]')" = "HMAC format is invalid." ]; echo $?)"

code=$(api GET "$LIST" "createdAtFrom=2026-10-19%2B09:00&createdAtTo=2026-11-20%2B09:00&status=ACCEPT")
check "32-day window -> 400 range message" \
	"$([ "$code" = 400 ] && [ "$(js 'j["message"]')" = "endTime-startTime range should less than31." ]; echo $?)"

code=$(api GET "$LIST" "$Q31&maxPerPage=51&status=ACCEPT")
check "maxPerPage 51 -> 400" "$([ "$code" = 400 ]; echo $?)"

code=$(api GET "$LIST" "createdAtFrom=2026-10-21&createdAtTo=2026-11-20&status=ACCEPT")
check "v5 dates without +09:00 -> 400" "$([ "$code" = 400 ]; echo $?)"

code=$(api GET "$A/v5/vendors/A99999999/ordersheets" "$Q31&status=ACCEPT")
check "other vendorId -> 400 Invalid vendor ID" "$([ "$code" = 400 ] && [ "$(js 'j["message"]')" = "Invalid vendor ID" ]; echo $?)"

code=$(api GET "$A/v5/vendors/$V/nosuchthing" "")
check "unknown path -> 404" "$([ "$code" = 404 ]; echo $?)"

# Paging: every listable ACCEPT box exactly once, in pages of 7.
: >"$tmp/seen"
tok=""
pages=0
while :; do
	q="$Q31&maxPerPage=7&status=ACCEPT"
	[ -n "$tok" ] && q="$q&nextToken=$tok"
	code=$(api GET "$LIST" "$q")
	[ "$code" = 200 ] || break
	python3 -c '
import re, sys
raw = open(sys.argv[1], encoding="utf-8").read()
for m in re.finditer(r"\"shipmentBoxId\":(\d+)", raw):
    print(m.group(1))' "$tmp/body" >>"$tmp/seen"
	tok=$(js 'j["nextToken"]')
	pages=$((pages + 1))
	[ -z "$tok" ] && break
	[ "$pages" -gt 100 ] && break
done
js 'sorted(b["shipmentBoxId"] for b in s["coupang"]["boxes"] if b["status"] == "ACCEPT" and not b["gone"])' >"$tmp/want"
python3 -c '
import sys
seen = open(sys.argv[1]).read().split()
want = eval(open(sys.argv[2]).read())
sys.exit(0 if len(seen) == len(set(seen)) and sorted(seen) == want and len(want) > 7 else 1)' "$tmp/seen" "$tmp/want"
check "nextToken paging returns every ACCEPT box exactly once ($pages pages)" $?

ACK="$A/v4/vendors/$V/ordersheets/acknowledgement"
ids=$(python3 -c 'print(",".join(str(642538971006401429 + i) for i in range(51)))')
code=$(api PUT "$ACK" "" "{\"vendorId\":\"$V\",\"shipmentBoxIds\":[$ids]}")
check "ack of 51 ids -> 400" "$([ "$code" = 400 ]; echo $?)"

# An ACCEPT box without an open cancel, preferably one with a pending address change.
box=$(js '[b["shipmentBoxId"] for b in sorted(s["coupang"]["boxes"], key=lambda b: b["pendingReceiver"] is None) if b["status"] == "ACCEPT" and not b["gone"] and not b["openStopRequest"] and all(i["holdCountForCancel"] == 0 for i in b["items"])][0]')
newaddr=$(js "[b['pendingReceiver'] and b['pendingReceiver']['addr1'] for b in s['coupang']['boxes'] if b['shipmentBoxId'] == '$box'][0]")
code=$(api PUT "$ACK" "" "{\"vendorId\":\"$V\",\"shipmentBoxIds\":[$box]}")
check "ack of an ACCEPT box succeeds" \
	"$([ "$code" = 200 ] && [ "$(js 'j["data"]["responseList"][0]["resultCode"]')" = OK ] && grep -q '"responseKey":-[0-9]' "$tmp/body"; echo $?)"
state
check "acked box is INSTRUCT in the state and its history" \
	"$([ "$(js "[b['status'] + '/' + b['history'][-1]['status'] for b in s['coupang']['boxes'] if b['shipmentBoxId'] == '$box'][0]")" = INSTRUCT/INSTRUCT ]; echo $?)"
code=$(api GET "$A/v5/vendors/$V/ordersheets/$box/history" "")
check "history endpoint shows INSTRUCT first" \
	"$([ "$code" = 200 ] && [ "$(js 'j["data"]["details"][0]["deliveryStatus"] + "/" + j["data"]["details"][1]["deliveryStatus"]')" = INSTRUCT/ACCEPT ]; echo $?)"
if [ "$newaddr" != None ]; then
	code=$(api GET "$A/v5/vendors/$V/ordersheets/$box" "")
	check "pending address change applied at ack" "$([ "$(js 'j["data"]["receiver"]["addr1"]')" = "$newaddr" ]; echo $?)"
fi
long=$(js '[b["shipmentBoxId"] for b in s["coupang"]["boxes"] if len(b["shipmentBoxId"]) == 18 and not b["gone"]][0]')
code=$(api GET "$A/v5/vendors/$V/ordersheets/$long" "")
check "18-digit shipmentBoxId verbatim in the raw body" \
	"$([ "$code" = 200 ] && [ ${#long} -eq 18 ] && grep -q "\"shipmentBoxId\":$long," "$tmp/body"; echo $?)"

# Invoice on a box that is not INSTRUCT (an ACCEPT one): per-item failure inside 200.
ibox=$(js '[(b["shipmentBoxId"], b["orderId"], b["items"][0]["vendorItemId"]) for b in s["coupang"]["boxes"] if b["status"] == "ACCEPT" and not b["gone"] and len(b["items"]) == 1][0]')
read -r ib io iv < <(python3 -c "import sys; t = $ibox; print(*t)")
dto="{\"vendorId\":\"$V\",\"orderSheetInvoiceApplyDtos\":[{\"shipmentBoxId\":$ib,\"orderId\":$io,\"vendorItemId\":$iv,\"deliveryCompanyCode\":\"CJGLS\",\"invoiceNumber\":\"123456789012\",\"splitShipping\":false,\"preSplitShipped\":false,\"estimatedShippingDate\":\"\"}]}"
code=$(api POST "$A/v4/vendors/$V/orders/invoices" "" "$dto")
check "invoice on a non-INSTRUCT box -> INVALID_STATUS inside 200" \
	"$([ "$code" = 200 ] && [ "$(js 'j["data"]["responseList"][0]["resultCode"] + "/" + str(j["data"]["responseList"][0]["succeed"])')" = INVALID_STATUS/False ]; echo $?)"

# Test setters: a buyer's stop-shipment request blocks the invoice of an INSTRUCT box.
state
ibox=$(js '[(b["shipmentBoxId"], b["orderId"], b["items"][0]["vendorItemId"]) for b in s["coupang"]["boxes"] if b["status"] == "INSTRUCT" and not b["gone"] and not b["openStopRequest"] and len(b["items"]) == 1 and b["items"][0]["toShip"] > 0][0]')
read -r ib io iv < <(python3 -c "import sys; t = $ibox; print(*t)")
rid=$(curl -s -X POST "http://127.0.0.1:$PORT/_sandbox/coupang/cancel-request?shipmentBoxId=$ib&count=1" |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["receiptId"])')
dto="{\"vendorId\":\"$V\",\"orderSheetInvoiceApplyDtos\":[{\"shipmentBoxId\":$ib,\"orderId\":$io,\"vendorItemId\":$iv,\"deliveryCompanyCode\":\"CJGLS\",\"invoiceNumber\":\"567890123456\",\"splitShipping\":false,\"preSplitShipped\":false,\"estimatedShippingDate\":\"\"}]}"
code=$(api POST "$A/v4/vendors/$V/orders/invoices" "" "$dto")
check "invoice on a box with an open stop request -> ORDER_DELIVERY_PARTIAL_STOP_REQUESTED" \
	"$([ "$code" = 200 ] && [ "$(js 'j["data"]["responseList"][0]["resultCode"]')" = ORDER_DELIVERY_PARTIAL_STOP_REQUESTED ]; echo $?)"
code=$(api GET "$A/v6/vendors/$V/returnRequests/$rid" "")
check "the new request reads back undecided" \
	"$([ "$code" = 200 ] && [ "$(js 'j["data"][0]["releaseStopStatus"] + "/" + j["data"][0]["returnItems"][0]["releaseStatus"]')" = "미처리/N" ]; echo $?)"
curl -s -X POST "http://127.0.0.1:$PORT/_sandbox/clock?offset=900" >/dev/null
code=$(api GET "$LIST" "$Q31&status=ACCEPT")
check "sandbox clock 15 min ahead -> 401 expired" "$([ "$code" = 401 ] && [ "$(js 'j["message"]')" = "Specified signature is expired." ]; echo $?)"
code=$(api GET "$LIST" "$Q31&status=ACCEPT" "" 900)
check "a signature dated on the sandbox clock passes" "$([ "$code" = 200 ]; echo $?)"
curl -s -X POST "http://127.0.0.1:$PORT/_sandbox/clock?offset=0" >/dev/null
state
check "request log counts acknowledgement batches" \
	"$([ "$(js 's["log"]["endpoints"]["PUT v4 ordersheets/acknowledgement"]["maxBatch"]')" = 51 ]; echo $?)"

# Stop-shipment requests are listed under RU and UC both.
RR="$A/v6/vendors/$V/returnRequests"
code=$(api GET "$RR" "cancelType=RETURN&createdAtFrom=2026-10-21&createdAtTo=2026-11-20&maxPerPage=50&status=RU")
js 'sorted(r["receiptId"] for r in j["data"] if r["receiptStatus"] == "RELEASE_STOP_UNCHECKED")' >"$tmp/ru"
code2=$(api GET "$RR" "cancelType=RETURN&createdAtFrom=2026-10-21&createdAtTo=2026-11-20&maxPerPage=50&status=UC")
js 'sorted(r["receiptId"] for r in j["data"] if r["receiptStatus"] == "RELEASE_STOP_UNCHECKED")' >"$tmp/uc"
check "RELEASE_STOP_UNCHECKED requests appear under RU and UC" \
	"$([ "$code" = 200 ] && [ "$code2" = 200 ] && cmp -s "$tmp/ru" "$tmp/uc" && [ "$(cat "$tmp/ru")" != "[]" ]; echo $?)"

code=$(api GET "$A/v4/vendors/$V/returnWithdrawRequests" "dateFrom=2026-11-12&dateTo=2026-11-20&pageIndex=1&sizePerPage=100")
check "withdrawals over 8 days -> 400" "$([ "$code" = 400 ]; echo $?)"

# A loaded data set is served as given: the documented example, full id.
start_sandbox docs --today 2026-11-20 --dataset "coupang=$OB_TEST_DATA/coupang/doc_examples.json"
check "sandbox with --dataset starts" $?
code=$(api GET "$A/v5/vendors/$V/ordersheets" "createdAtFrom=2025-01-16%2B09:00&createdAtTo=2025-01-16%2B09:00&status=FINAL_DELIVERY")
check "--dataset serves the documented order sheet verbatim" \
	"$([ "$code" = 200 ] && grep -q '"shipmentBoxId":642538971006401429,"orderId":22000009546234,' "$tmp/body" && [ "$(js 'j["nextToken"]')" = "" ]; echo $?)"

# Faults: the same seed gives the same statuses for the same requests.
statuses() {
	local out=""
	for i in $(seq 1 30); do
		local c
		c=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: $(python3 "$tmp/sign.py" GET "$A/v5/vendors/$V/ordersheets/$i" "")" \
			"http://127.0.0.1:$PORT$A/v5/vendors/$V/ordersheets/$i")
		out="$out $c"
	done
	echo "$out"
}
start_sandbox f1 --today 2026-11-20 --orders 20 --seed 7 --rate 0 --fault 500:30%,503:20%
s1=$(statuses)
start_sandbox f2 --today 2026-11-20 --orders 20 --seed 7 --rate 0 --fault 500:30%,503:20%
s2=$(statuses)
check "faults are deterministic for a seed ($s1)" \
	"$([ "$s1" = "$s2" ] && [[ "$s1" == *500* ]] && [[ "$s1" == *400* ]]; echo $?)"

# Clean stop on SIGTERM, exit 0.
kill -TERM "${pids[0]}"
wait "${pids[0]}"
check "SIGTERM stops the sandbox with exit 0" $?

if [ "$fails" -ne 0 ]; then
	echo "$fails check(s) failed"
	exit 1
fi
echo "all checks passed"
