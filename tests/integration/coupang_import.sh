#!/usr/bin/env bash
# Coupang import end to end against the sandbox: an exported sheet edited (ACK,
# SHIP with invoices, APPROVE/REJECT cancel requests, CANCEL), applied; the
# sandbox state afterwards; batch limits; a second import sends nothing; a line
# with an open cancel request is not shipped; bad sheets send nothing.
source "$(dirname "$0")/lib.bash"

start_sandbox --days 20 --orders 700 --seed 11
ob export --market coupang --from "$(TZ=Asia/Seoul date -d '19 days ago' +%F)" --status all -o "$TMP/x.csv" 2>"$TMP/export.log"
expect_rc 0 "export"

# Open a cancel request on one INSTRUCT box that has no claim yet, after the export.
BLOCKED=$(py '
import sys, obtest
st = obtest.state(sys.argv[1])
boxes = [b for b in st["coupang"]["boxes"] if b["status"] == "INSTRUCT" and not b["openStopRequest"] and not b["gone"]
         and all(i["cancelCount"] == 0 and i["holdCountForCancel"] == 0 for i in b["items"])]
print(boxes[-1]["shipmentBoxId"])
' "$COUPANG_URL")
curl -sf -X POST "$COUPANG_URL/_sandbox/coupang/cancel-request?shipmentBoxId=$BLOCKED&count=1" >/dev/null

# The seller's edits.
py '
import sys, obtest
tmp, blocked = sys.argv[1], sys.argv[2]
rows = obtest.read_sheet(tmp + "/x.orders.csv")
fields = list(rows[0].keys())
paid = [r for r in rows if r["status"] == "PAID"]
prep = [r for r in rows if r["status"] == "PREPARING" and r["bundle_no"] != blocked and r["cancel_qty"] in ("", "0")]
# Boxes with a refund in progress cannot be acknowledged (the market says so per box).
held = {r["bundle_no"] for r in rows if r["cancel_qty"] not in ("", "0")}
boxes_paid = sorted({r["bundle_no"] for r in paid} - held)
obtest.check(len(boxes_paid) > 56, "the data set has %d paid boxes" % len(boxes_paid))
ack_boxes = set(boxes_paid[:55])           # more than one acknowledgement call (50 a call)
ship_boxes = sorted({r["bundle_no"] for r in prep})[:12]
cancel_box = boxes_paid[-1]
n = 0
for r in rows:
    b = r["bundle_no"]
    if b in ack_boxes:
        r["action"] = "ACK" if n % 2 else "발주확인"
    elif b in ship_boxes:
        r["action"] = "SHIP"
        r["courier"] = "CJ대한통운"
        r["invoice_no"] = "5%011d" % (ship_boxes.index(b) + 1000)
    elif b == cancel_box:
        r["action"] = "CANCEL"
        r["reason"] = "재고 부족"
    elif b == blocked:
        r["action"] = "SHIP"
        r["courier"] = "롯데택배"
        r["invoice_no"] = "3%011d" % 77
    n += 1
obtest.write_sheet(tmp + "/edit.orders.csv", rows, fields)
claims = obtest.read_sheet(tmp + "/x.claims.csv")
cfields = list(claims[0].keys())
req = [c for c in claims if c["claim_type"] == "CANCEL" and c["claim_status"] == "REQUESTED"]
ids = sorted({c["claim_id"] for c in req})
approve, reject = set(ids[:3]), set(ids[3:5])
for c in claims:
    if c["claim_id"] in approve:
        c["action"] = "APPROVE"
    elif c["claim_id"] in reject:
        c["action"] = "이미출고"
        c["courier"] = "한진택배"
        c["invoice_no"] = "4%011d" % (sorted(reject).index(c["claim_id"]) + 500)
obtest.write_sheet(tmp + "/edit.claims.csv", claims, cfields)
open(tmp + "/expect.txt", "w").write(repr({"ack": sorted(ack_boxes), "ship": ship_boxes, "cancel": cancel_box,
    "approve": sorted(approve), "reject": sorted(reject)}))
' "$TMP" "$BLOCKED"

# Dry run: the plan, nothing sent.
curl -sf -X POST "$COUPANG_URL/_sandbox/reset-log" >/dev/null
ob import "$TMP/edit.orders.csv" "$TMP/edit.claims.csv" >"$TMP/plan.txt"
expect_rc 0 "dry run"
grep -q "coupang.sandbox.*ACK .* in 2 calls" "$TMP/plan.txt" || { cat "$TMP/plan.txt"; fail "the plan does not show two ACK calls"; }
py 'import sys, obtest; obtest.check(obtest.state(sys.argv[1])["log"]["total"] == 0, "a dry run sent requests")' "$COUPANG_URL"

# Apply.
ob import "$TMP/edit.orders.csv" "$TMP/edit.claims.csv" --apply >"$TMP/apply.txt" 2>"$TMP/apply.err"
[ "$RC" -eq 1 ] || { cat "$TMP/apply.txt" "$TMP/apply.err"; fail "apply: exit $RC, want 1 (the blocked SHIP fails)"; }
py '
import sys, obtest, ast
tmp, url, blocked = sys.argv[1], sys.argv[2], sys.argv[3]
exp = ast.literal_eval(open(tmp + "/expect.txt").read())
st = obtest.state(url)
boxes = {b["shipmentBoxId"]: b for b in st["coupang"]["boxes"]}
for b in exp["ack"]:
    if b == exp["cancel"]:
        continue
    obtest.check(boxes[b]["status"] in ("INSTRUCT",), "box %s not acknowledged: %s" % (b, boxes[b]["status"]))
for i, b in enumerate(exp["ship"]):
    obtest.check(boxes[b]["status"] == "DEPARTURE" and boxes[b]["invoiceNumber"] == "5%011d" % (i + 1000),
                 "box %s not shipped with its invoice: %s %s" % (b, boxes[b]["status"], boxes[b]["invoiceNumber"]))
obtest.check(boxes[blocked]["status"] == "INSTRUCT" and not boxes[blocked]["invoiceNumber"], "the box with a cancel request was shipped")
cb = boxes[exp["cancel"]]
obtest.check(cb["gone"] or all(i["toShip"] == 0 for i in cb["items"]), "the cancelled box still has units to ship")
claims = {c["receiptId"]: c for c in st["coupang"]["claims"]}
for r in exp["approve"]:
    obtest.check(claims[r]["releaseStopStatus"] == "처리(출고중지)", "claim %s not approved" % r)
for r in exp["reject"]:
    obtest.check(claims[r]["releaseStopStatus"] == "처리(이미출고)", "claim %s not rejected" % r)
ep = st["log"]["endpoints"]
ack = ep["PUT v4 ordersheets/acknowledgement"]
obtest.check(ack["maxBatch"] <= 50 and sum(ack["batchSizes"]) >= 54, "ack batches: %r" % ack["batchSizes"])
inv = ep["POST v4 orders/invoices"]
obtest.check(inv["maxBatch"] <= 50, "invoice batches %r" % inv["batchSizes"])
# Result files: every row, result filled for every row with an action.
for sheet in ("orders", "claims"):
    src = obtest.read_sheet(tmp + "/edit.%s.csv" % sheet)
    res = obtest.read_sheet(tmp + "/edit.%s.result.csv" % sheet)
    obtest.check(len(src) == len(res), "%s result has %d rows, input %d" % (sheet, len(res), len(src)))
    for a, b in zip(src, res):
        if a["action"]:
            obtest.check(b["result"] in ("OK", "SKIPPED", "FAILED", "UNSUPPORTED") and b["message"], "row without result: %r" % b)
        for k in a:
            if k not in ("result", "message", "address_changed"):
                obtest.check(a[k] == b[k], "column %s changed: %r -> %r" % (k, a[k], b[k]))
res = obtest.read_sheet(tmp + "/edit.orders.result.csv")
bl = [r for r in res if r["bundle_no"] == blocked]
obtest.check(bl and all(r["result"] == "FAILED" and "cancel" in r["message"] for r in bl), "blocked rows: %r" % [(r["result"], r["message"]) for r in bl])
others = [r for r in res if r["action"] and r["bundle_no"] != blocked]
obtest.check(all(r["result"] in ("OK", "SKIPPED") for r in others), "failed rows: %r" % [(r["bundle_no"], r["action"], r["message"]) for r in others if r["result"] not in ("OK", "SKIPPED")][:5])
' "$TMP" "$COUPANG_URL" "$BLOCKED"

# The same sheets again: nothing is sent, everything SKIPPED (the blocked line is retried).
curl -sf -X POST "$COUPANG_URL/_sandbox/reset-log" >/dev/null
ob import "$TMP/edit.orders.csv" "$TMP/edit.claims.csv" --apply --force >"$TMP/again.txt" 2>&1
py '
import sys, obtest
st = obtest.state(sys.argv[2])
writes = [q for q in st["requests"] if q["method"] != "GET"]
obtest.check(not writes, "the second import sent writes: %r" % [q["endpoint"] for q in writes])
res = obtest.read_sheet(sys.argv[1] + "/edit.orders.result.csv")
ok = [r for r in res if r["action"] and r["result"] == "SKIPPED" and "already done" in r["message"]]
obtest.check(len(ok) > 50, "rows SKIPPED as already done: %d" % len(ok))
' "$TMP" "$COUPANG_URL"

# Bad sheets: exit 3 and not a single request.
curl -sf -X POST "$COUPANG_URL/_sandbox/reset-log" >/dev/null
for f in unknown_action ship_without_invoice unknown_courier invoice_wrong_length mangled_id conflicting_rows wrong_market claim_action_on_order; do
	sed 's/,main,/,sandbox,/' "$OB_TEST_DATA/import/$f.csv" >"$TMP/$f.csv"
	ob import "$TMP/$f.csv" --apply >"$TMP/$f.out" 2>&1
	[ "$RC" -eq 3 ] || { cat "$TMP/$f.out"; fail "$f: exit $RC, want 3"; }
	grep -q "row" "$TMP/$f.out" || fail "$f: no row error"
done
py 'import sys, obtest; obtest.check(obtest.state(sys.argv[1])["log"]["total"] == 0, "a bad sheet sent requests")' "$COUPANG_URL"
echo ok
