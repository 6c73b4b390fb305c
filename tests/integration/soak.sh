#!/usr/bin/env bash
# Fault soak: ACK and SHIP actions across the three markets imported with
# --apply through a sandbox that fails 500, 429, resets and times out; the
# import is run again until every row is done. Then, per market, every action
# is in the sandbox state and the writes that reached the market carry each
# line exactly once. Short by default (CI); SOAK_ACTIONS=5000 for the long run.
source "$(dirname "$0")/lib.bash"

ACTIONS=${SOAK_ACTIONS:-240}
ORDERS=$(( ACTIONS / 2 + 150 ))
FROM=$(TZ=Asia/Seoul date -d '19 days ago' +%F)
TODAY=$(TZ=Asia/Seoul date +%F)
# 11st's generated days lean to delivered orders: a burst of paid ones today.
start_sandbox --days 20 --orders "$ORDERS" --seed 99 --rate 50 --burst "11st:$TODAY:$(( ACTIONS / 3 ))" \
	--fault 500:10%,429:10%,reset:3%,timeout:2% --fault-delay 2500
# Short request timeouts, so a held request costs seconds, not minutes.
sed -i 's/^\(base_url *=.*\)$/\1\ntimeout = 1.5\nrate = 20/' "$CFG"

for try in 1 2 3; do
	ob export --from "$FROM" --status all -o "$TMP/s.csv" 2>"$TMP/export.err"
	[ "$RC" -eq 0 ] && break
done
[ "$RC" -eq 0 ] || { cat "$TMP/export.err"; fail "export under faults: exit $RC"; }

py '
import sys, obtest, collections
tmp, want = sys.argv[1], int(sys.argv[2])
rows = obtest.read_sheet(tmp + "/s.orders.csv")
claims = obtest.read_sheet(tmp + "/s.claims.csv")
fields = list(rows[0].keys())
busy = {(c["market"], c["order_no"]) for c in claims if c["claim_status"] in ("REQUESTED", "HELD")}
bundle_lines = collections.defaultdict(list)
for r in rows:
    bundle_lines[(r["market"], r["bundle_no"] or r["line_no"])].append(r)
def clean(lines):
    return all(l["cancel_qty"] in ("", "0") and (l["market"], l["order_no"]) not in busy for l in lines)
per_market = want // 3
serial = 0
counts = collections.Counter()
for (market, bundle), lines in sorted(bundle_lines.items()):
    if counts[market] >= per_market or not clean(lines):
        continue
    status = {l["status"] for l in lines}
    if status == {"PAID"}:
        for l in lines:
            l["action"] = "ACK"
        counts[market] += len(lines)
    elif status == {"PREPARING"}:
        serial += 1
        for l in lines:
            l["action"], l["courier"], l["invoice_no"] = "SHIP", "CJ대한통운", "6%011d" % (serial + 7000)
        counts[market] += len(lines)
obtest.write_sheet(tmp + "/soak.csv", rows, fields)
print("actions per market:", dict(counts))
obtest.check(all(counts[m] >= per_market // 2 for m in ("coupang", "11st", "smartstore")), "too few actions: %r" % counts)
' "$TMP" "$ACTIONS"

for run in $(seq 1 8); do
	ob import "$TMP/soak.csv" --apply --force >"$TMP/import.$run.out" 2>&1
	[ "$RC" -eq 0 ] && break
done
[ "$RC" -eq 0 ] || { tail -20 "$TMP/import.$run.out"; fail "the import did not finish in $run runs"; }
echo "import finished in $run runs"

py '
import sys, obtest, collections, json, urllib.request
tmp = sys.argv[1]
urls = {"coupang": sys.argv[2], "11st": sys.argv[3], "smartstore": sys.argv[4]}
rows = [r for r in obtest.read_sheet(tmp + "/soak.result.csv") if r["action"]]
obtest.check(all(r["result"] in ("OK", "SKIPPED") for r in rows), "rows not done: %r" % collections.Counter((r["market"], r["result"]) for r in rows))
def reached(st, endpoint):
    return sum(q["items"] for q in st["requests"] if q["endpoint"] == endpoint and (q["status"] == 200 or q.get("faultPhase") == "after"))
# Coupang: state and every box sent once.
st = obtest.state(urls["coupang"])
boxes = {b["shipmentBoxId"]: b for b in st["coupang"]["boxes"]}
ack = {r["bundle_no"] for r in rows if r["market"] == "coupang" and r["action"] == "ACK"}
ship = {r["bundle_no"]: r["invoice_no"] for r in rows if r["market"] == "coupang" and r["action"] == "SHIP"}
for b in ack:
    obtest.check(boxes[b]["status"] == "INSTRUCT", "coupang box %s: %s" % (b, boxes[b]["status"]))
for b, inv in ship.items():
    obtest.check(boxes[b]["status"] == "DEPARTURE" and boxes[b]["invoiceNumber"] == inv, "coupang box %s not shipped" % b)
obtest.check(reached(st, "PUT v4 ordersheets/acknowledgement") == len(ack), "coupang: %d boxes reached the ack call, %d acted" % (reached(st, "PUT v4 ordersheets/acknowledgement"), len(ack)))
obtest.check(reached(st, "POST v4 orders/invoices") == len(ship), "coupang: %d boxes reached the invoice call, %d shipped" % (reached(st, "POST v4 orders/invoices"), len(ship)))
# SmartStore: each product order confirmed / dispatched once.
st = obtest.state(urls["smartstore"])
po = {p["productOrderId"]: p for p in st["smartstore"]["productOrders"]}
ack = [r for r in rows if r["market"] == "smartstore" and r["action"] == "ACK"]
ship = [r for r in rows if r["market"] == "smartstore" and r["action"] == "SHIP"]
for r in ack:
    obtest.check(po[r["line_no"]]["placeOrderStatus"] == "OK", "smartstore %s not confirmed" % r["line_no"])
for r in ship:
    obtest.check(po[r["line_no"]]["trackingNumber"] == r["invoice_no"], "smartstore %s not dispatched" % r["line_no"])
obtest.check(reached(st, "POST product-orders/confirm") == len(ack), "smartstore: %d ids reached confirm, %d acted" % (reached(st, "POST product-orders/confirm"), len(ack)))
obtest.check(reached(st, "POST product-orders/dispatch") == len(ship), "smartstore: %d ids reached dispatch, %d shipped" % (reached(st, "POST product-orders/dispatch"), len(ship)))
# 11st: shipping is one call per bundle (dlvNo).
st = obtest.state(urls["11st"])
ship = {r["bundle_no"] for r in rows if r["market"] == "11st" and r["action"] == "SHIP"}
obtest.check(reached(st, "GET ordservices/reqdelivery") == len(ship), "11st: %d reqdelivery calls reached, %d bundles shipped" % (reached(st, "GET ordservices/reqdelivery"), len(ship)))
faults = collections.Counter(q["fault"] for u in urls.values() for q in obtest.state(u)["requests"] if q.get("fault"))
print("faults met:", dict(faults))
' "$TMP" "$COUPANG_URL" "$ELEVENST_URL" "$SMARTSTORE_URL"
echo ok
