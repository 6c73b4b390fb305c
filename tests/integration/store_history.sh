#!/usr/bin/env bash
# The local store through the real binary and the Coupang sandbox: changes
# between two exports (status, partial cancel, address) appear in `history`
# once each and in order; an incremental export fetches only the new window
# and repeats nothing; --new on an unchanged market gives an empty sheet; the
# store command purges personal data.
source "$(dirname "$0")/lib.bash"

FROM=$(TZ=Asia/Seoul date -d '19 days ago' +%F)
TODAY=$(TZ=Asia/Seoul date +%F)
start_sandbox --days 20 --orders 300 --seed 21
ob export --market coupang --from "$FROM" --status all -o "$TMP/one.csv" 2>/dev/null
expect_rc 0 "first export"

# Three changes at the market.
read -r SHIPPING_BOX SHIPPING_ORDER CANCEL_BOX CANCEL_ORDER ADDR_BOX ADDR_ORDER < <(py '
import sys, obtest
st = obtest.state(sys.argv[1])
boxes = [b for b in st["coupang"]["boxes"] if not b["gone"] and not b["openStopRequest"]]
dep = [b for b in boxes if b["status"] == "DEPARTURE"][0]
ins = [b for b in boxes if b["status"] == "INSTRUCT" and all(i["cancelCount"] == 0 and i["holdCountForCancel"] == 0 for i in b["items"])]
cb = [b for b in ins if b["items"][0]["shippingCount"] >= 2][0]
ab = [b for b in ins if b is not cb][0]
print(dep["shipmentBoxId"], dep["orderId"], cb["shipmentBoxId"], cb["orderId"], ab["shipmentBoxId"], ab["orderId"])
' "$COUPANG_URL")
curl -sf -X POST "$COUPANG_URL/_sandbox/coupang/status?shipmentBoxId=$SHIPPING_BOX&status=DELIVERING" >/dev/null
RID=$(curl -sf -X POST "$COUPANG_URL/_sandbox/coupang/cancel-request?shipmentBoxId=$CANCEL_BOX&count=1" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["receiptId"])')
curl -sf -X POST "$COUPANG_URL/_sandbox/coupang/cs-confirm?receiptId=$RID" >/dev/null
curl -sf -X POST "$COUPANG_URL/_sandbox/coupang/address?shipmentBoxId=$ADDR_BOX&addr1=%EB%B6%80%EC%82%B0%EA%B4%91%EC%97%AD%EC%8B%9C%20%EC%A4%91%EA%B5%AC%20%EC%A4%91%EC%95%99%EB%8C%80%EB%A1%9C%201" >/dev/null

ob export --market coupang --from "$FROM" --status all -o "$TMP/two.csv" 2>"$TMP/two.err"
expect_rc 0 "second export"
grep -q "new address since the last export" "$TMP/two.err" || fail "the address change was not reported"
# A third export sees nothing new: no event is written twice.
ob export --market coupang --from "$FROM" --status all -o "$TMP/three.csv" 2>/dev/null
expect_rc 0 "third export"

for o in "$SHIPPING_ORDER" "$CANCEL_ORDER" "$ADDR_ORDER"; do
	ob history --format json --local "$o" >"$TMP/h.$o.json"
	expect_rc 0 "history $o"
done
ob history "$SHIPPING_ORDER" >"$TMP/h.text"
expect_rc 0 "history with the market's own"
grep -q "market .*DELIVERING" "$TMP/h.text" || { cat "$TMP/h.text"; fail "Coupang's own history is missing"; }

py '
import sys, json, obtest
tmp, ship_o, cancel_o, addr_o, addr_box = sys.argv[1:6]
def events(o):
    return json.load(open("%s/h.%s.json" % (tmp, o)))["events"]
ev = events(ship_o)
ms = [e for e in ev if e["what"] == "market_status"]
obtest.check(ms and len({e["line"] for e in ms}) == len(ms) and all(e["old"] == "DEPARTURE" and e["new"] == "DELIVERING" for e in ms),
             "status change: %r" % ms)
ev = events(cancel_o)
q = [e for e in ev if e["what"] == "qty"]
obtest.check(len(q) >= 1, "partial cancel not in history: %r" % ev)
obtest.check(any(e["new"].split("/")[1] == "1" for e in q), "cancel_qty 1 not recorded: %r" % q)
ev = events(addr_o)
a = [e for e in ev if e["what"] == "address"]
# One event per line of the box, each once.
obtest.check(a and len({e["line"] for e in a}) == len(a) and all("부산광역시 중구 중앙대로 1" in e["new"] for e in a),
             "address change: %r" % a)
for o in (ship_o, cancel_o, addr_o):
    ev = events(o)
    obtest.check([e["at"] for e in ev] == sorted(e["at"] for e in ev), "events out of order for %s" % o)
    seen = [e for e in ev if e["what"] == "seen"]
    obtest.check(len(seen) >= 1, "first sighting missing for %s" % o)
rows = obtest.read_sheet(tmp + "/two.orders.csv")
flag = [r for r in rows if r["bundle_no"] == addr_box]
obtest.check(flag and all(r["address_changed"] == "Y" and "it was:" in r["message"] for r in flag), "address_changed not set: %r" % [(r["address_changed"], r["message"]) for r in flag])
' "$TMP" "$SHIPPING_ORDER" "$CANCEL_ORDER" "$ADDR_ORDER" "$ADDR_BOX"

# Incremental: without --from each query resumes at its cursor: only today's
# window is fetched, and lines already exported and unchanged are left out.
curl -sf -X POST "$COUPANG_URL/_sandbox/reset-log" >/dev/null
ob export --market coupang --status all -o "$TMP/inc.csv" 2>"$TMP/inc.err"
expect_rc 0 "incremental export"
py '
import sys, obtest, re
st = obtest.state(sys.argv[2])
lists = [q for q in st["requests"] if q["endpoint"] == "GET v5 ordersheets"]
obtest.check(lists, "no ordersheets request")
for q in lists:
    f = re.search(r"createdAtFrom=([0-9-]+)", q["query"]).group(1)
    obtest.check(f >= sys.argv[3], "the incremental export went back to %s" % f)
rows = obtest.read_sheet(sys.argv[1] + "/inc.orders.csv") + obtest.read_sheet(sys.argv[1] + "/inc.claims.csv")
obtest.check(rows == [], "an unchanged market gave %d rows" % len(rows))
' "$TMP" "$COUPANG_URL" "$(TZ=Asia/Seoul date -d yesterday +%F)"
# --new: only lines never exported; nothing changed, so nothing.
ob export --market coupang --from "$FROM" --status all --new -o "$TMP/new.csv" 2>/dev/null
expect_rc 0 "export --new"
[ "$(python3 -c "import csv,sys; print(len(list(csv.DictReader(open(sys.argv[1], encoding='utf-8-sig')))))" "$TMP/new.orders.csv")" = 0 ] ||
	fail "--new on an unchanged market gave rows"

# The store: path, purge of personal data (statuses stay).
[ "$("$OB" store path)" = "$XDG_DATA_HOME/orderbridge/store.db" ] || fail "store path"
[ "$(stat -c %a "$XDG_DATA_HOME/orderbridge/store.db")" = 600 ] || fail "the store is not mode 0600"
"$OB" store purge --older-than 0d >/dev/null || fail "purge"
"$OB" store export "$ADDR_ORDER" -o "$TMP/after.csv" || fail "store export"
py '
import sys, obtest
rows = obtest.read_sheet(sys.argv[1] + "/after.orders.csv")
obtest.check(rows and all(r["receiver_name"] == "" and r["address1"] == "" and r["status"] for r in rows), "purge kept personal data")
' "$TMP"
echo ok
