#!/usr/bin/env bash
# SmartStore export over real HTTP against the sandbox: three days with more
# than 2,000 feed changes (several 300-item pages, more than 300 changes on one
# timestamp, so moreSequence has to carry the position through ties) come out
# with every product order exactly once, as /_sandbox/state has them; a
# partial cancel request shows qty 3 beside claim_qty 1, a withdrawn one
# (CANCEL_REJECT) is WITHDRAWN, a cancel before 발주확인 is DONE.
source "$(dirname "$0")/lib.bash"

TODAY=$(TZ=Asia/Seoul date +%F)
FROM=$(TZ=Asia/Seoul date -d "$TODAY -3 day" +%F)
start_sandbox --orders 1500 --days 3 --today "$TODAY" --seed 7
[ -n "$SMARTSTORE_URL" ] || fail "no smartstore listener"

ob export --market smartstore --from "$FROM" --to "$TODAY" --status all -o "$TMP/x.csv"
expect_rc 0 "export"

py '
import sys, collections
from obtest import *
url, d = sys.argv[1], sys.argv[2]
st = state(url)
ss, log = st["smartstore"], st["log"]["endpoints"]
check(ss["feedStats"]["count"] >= 2000, "expected 2000+ feed changes, got %d" % ss["feedStats"]["count"])
check(ss["feedStats"]["maxSameTime"] > 300, "expected more than 300 changes on one timestamp")
rows = read_sheet(d + "/x.orders.csv")
ids = [r["line_no"] for r in rows]
dups = [k for k, v in collections.Counter(ids).items() if v > 1]
check(not dups, "product orders exported twice: %s" % dups[:5])
want = set(p["productOrderId"] for p in ss["productOrders"])
check(set(ids) == want, "exported %d product orders, the sandbox has %d (missing %s, extra %s)"
      % (len(set(ids)), len(want), sorted(want - set(ids))[:3], sorted(set(ids) - want)[:3]))
check(all(len(i) == 16 and i.isdigit() for i in ids), "line_no must be the 16-digit productOrderId as text")
feed = log.get("GET last-changed-statuses", {})
check(feed.get("count", 0) >= 7, "expected several feed pages, got %s" % feed.get("count"))
check(set(feed.get("statuses", {})) == {"200"}, "feed statuses %s" % feed.get("statuses"))
q = log.get("POST product-orders/query", {})
check(q.get("maxBatch", 0) <= 300 and q.get("count", 0) >= 7, "detail queries: %s" % q)

po = {p["productOrderId"]: p for p in ss["productOrders"]}
byline = {r["line_no"]: r for r in rows}
claims = read_sheet(d + "/x.claims.csv")
cl = {r["line_no"]: r for r in claims}
part = [p for p in ss["productOrders"] if p.get("claimStatus") == "CANCEL_REQUEST"
        and p["quantity"] == 3 and p.get("requestQuantity") == 1]
check(part, "the sandbox has no partial cancel request")
for p in part:
    c = cl.get(p["productOrderId"])
    check(c is not None, "no claims row for partial cancel request %s" % p["productOrderId"])
    check((c["qty"], c["claim_qty"], c["remaining_qty"], c["claim_status"], c["claim_type"]) ==
          ("3", "1", "2", "REQUESTED", "CANCEL"), "partial cancel row %s" % c)
    check(c["claim_id"] == p["claimId"], "claim_id %s != %s" % (c["claim_id"], p["claimId"]))
    o = byline[p["productOrderId"]]
    check((o["qty"], o["cancel_qty"], o["status"], o["market_status"]) == ("3", "0", "PREPARING",
          "PAYED/OK/CANCEL_REQUEST"), "order row of a partial cancel request %s" % o)
wd = [p for p in ss["productOrders"] if p.get("claimStatus") == "CANCEL_REJECT"]
check(wd, "the sandbox has no withdrawn cancel request")
for p in wd:
    c = cl[p["productOrderId"]]
    check(c["claim_status"] == "WITHDRAWN" and c["market_status"] == "CANCEL_REJECT", "withdrawn row %s" % c)
done = [p for p in ss["productOrders"] if p.get("claimStatus") == "CANCEL_DONE" and p["placeOrderStatus"] == "NOT_YET"]
check(done, "the sandbox has no cancel before confirmation")
for p in done:
    c = cl[p["productOrderId"]]
    check(c["claim_status"] == "DONE" and byline[p["productOrderId"]]["status"] == "CANCELLED", "cancel before ack %s" % c)
for p in ss["productOrders"]:
    o = byline[p["productOrderId"]]
    want_status = {"DELIVERING": "SHIPPING", "DELIVERED": "DELIVERED", "PURCHASE_DECIDED": "CONFIRMED",
                   "CANCELED": "CANCELLED", "RETURNED": "RETURNED", "EXCHANGED": "EXCHANGED"}.get(p["productOrderStatus"])
    if p["productOrderStatus"] == "PAYED":
        want_status = "PREPARING" if p["placeOrderStatus"] == "OK" else "PAID"
        if p["remainQuantity"] == 0:
            want_status = "CANCELLED"
    check(o["status"] == want_status, "%s: %s/%s exported as %s" % (p["productOrderId"],
          p["productOrderStatus"], p["placeOrderStatus"], o["status"]))
    check(o["order_no"] == p["orderId"] and o["bundle_no"] == p["packageNumber"], "ids of %s" % o)
    if p.get("trackingNumber"):
        check(o["invoice_no"] == p["trackingNumber"] and o["courier"] == "CJ대한통운", "delivery of %s" % o)
    check(o["zip"] == p["zipCode"] and o["address1"] == p["baseAddress"], "address of %s" % o)
print("export: %d product orders exactly once, %d claim rows, %d feed pages" % (len(ids), len(claims), feed["count"]))
' "$SMARTSTORE_URL" "$TMP"

# The secret never shows up in output or the files written.
secret=$(sed -n 's/^client_secret = //p' "$CFG")
[ -n "$secret" ] || fail "no client_secret in the sandbox config"
! grep -rqF -- "$secret" "$TMP"/x.*.csv "$TMP/sandbox.out" || fail "the client secret leaked"
echo "smartstore_export: ok"
