#!/usr/bin/env bash
# Coupang returns (반품) and exchanges (교환) end to end through HTTP against the
# sandbox: the export (every return and exchange once, statuses, fee payer,
# pickup and re-delivery columns, 7-day exchange windows); a return approved in
# both steps, one already received approved in one, a held and a rejected one
# UNSUPPORTED with the reason, a pickup invoice registered; an exchange
# received and then re-shipped on its new box, one re-shipped too early, one
# rejected as sold out, a pickup invoice on one; the same sheet again sends no
# writes (same store: nothing at all; fresh store: re-reads only, SKIPPED); an
# approval interrupted between its two steps is finished by the rerun.
source "$(dirname "$0")/lib.bash"

start_sandbox --days 20 --orders 300 --seed 21
FROM=$(TZ=Asia/Seoul date -d '19 days ago' +%F)
ob export --market coupang --from "$FROM" --status all --what claims -o "$TMP/x.csv" 2>"$TMP/export.log"
expect_rc 0 "export"

# --- the export ---
py '
import sys, re, datetime, obtest
rows = obtest.read_sheet(sys.argv[1] + "/x.claims.csv")
st = obtest.state(sys.argv[2])
cp = st["coupang"]
keys = [(r["claim_type"], r["claim_id"], r["line_no"], r["bundle_no"]) for r in rows]
obtest.check(len(keys) == len(set(keys)), "a claim line is in the sheet twice (RU and UC overlap)")
by_key = {(r["claim_id"], r["line_no"], r["bundle_no"]): r for r in rows if r["claim_type"] in ("RETURN", "EXCHANGE")}
def stop_request(c):
    return c["receiptStatus"] == "RELEASE_STOP_UNCHECKED" or (
        c["receiptStatus"] == "RETURNS_UNCHECKED" and c["releaseStopStatus"] in ("미처리", "처리(출고중지)"))
status = {"RETURNS_UNCHECKED": "REQUESTED", "VENDOR_WAREHOUSE_CONFIRM": "REQUESTED",
          "RETURNS_COMPLETED": "DONE", "REQUEST_COUPANG_CHECK": "HELD"}
payer = {"CUSTOMER": "BUYER", "VENDOR": "SELLER", "COUPANG": "MARKET", "WMS": "MARKET"}
seen = set()
for c in cp["claims"]:
    if c["receiptType"] != "RETURN" or c["withdrawn"] or stop_request(c):
        continue
    want_payer = payer.get(c["faultByType"]) or ("BUYER" if c["returnShippingCharge"] < 0 else
                                                 "SELLER" if c["returnShippingCharge"] > 0 else "")
    want_fee = str(-c["returnShippingCharge"]) if want_payer == "BUYER" and c["returnShippingCharge"] < 0 else ""
    for it in c["items"]:
        k = (c["receiptId"], it["vendorItemId"], it["shipmentBoxId"])
        r = by_key.get(k)
        obtest.check(r is not None, "return line %r not exported" % (k,))
        seen.add(k)
        obtest.check(r["claim_type"] == "RETURN" and r["claim_status"] == status[c["receiptStatus"]],
                     "return %r: %s/%s for %s" % (k, r["claim_type"], r["claim_status"], c["receiptStatus"]))
        obtest.check(r["market_status"].startswith(c["receiptStatus"] + "/"), "market_status of %r" % (k,))
        obtest.check(int(r["qty"]) == it["purchaseCount"] and int(r["claim_qty"]) == it["cancelCount"], "qty of %r" % (k,))
        obtest.check(r["return_fee_payer"] == want_payer, "fee payer of %r: %r, want %r" % (k, r["return_fee_payer"], want_payer))
        obtest.check(r["extra_fee"] == want_fee, "return fee of %r: %r, want %r" % (k, r["extra_fee"], want_fee))
        pk = c["pickups"][0]["invoiceNumber"] if c["pickups"] else ""
        obtest.check(r["pickup_invoice_no"] == pk and (not pk or r["pickup_courier"]), "pickup of %r: %r" % (k, r["pickup_invoice_no"]))
        obtest.check(not r["invoice_no"], "a return row carries the pickup as the shipping invoice")
obtest.check({s for s in status if any(c["receiptStatus"] == s and not stop_request(c) for c in cp["claims"])} == set(status),
             "the data set has returns in every receiptStatus")
xstatus = {"RECEIPT": "REQUESTED", "PROGRESS": "APPROVED", "SUCCESS": "DONE", "REJECT": "REJECTED", "CANCEL": "WITHDRAWN"}
for x in cp["exchanges"]:
    for it in x["items"]:
        k = (x["exchangeId"], it["orderItemId"], it["originalShipmentBoxId"])
        r = by_key.get(k)
        obtest.check(r is not None and r["claim_type"] == "EXCHANGE", "exchange line %r not exported" % (k,))
        seen.add(k)
        obtest.check(r["claim_status"] == xstatus[x["exchangeStatus"]], "exchange %r: %s for %s" % (k, r["claim_status"], x["exchangeStatus"]))
        obtest.check(r["market_status"] == "%s/%s/%s" % (x["exchangeStatus"], x["collectStatus"], x["deliveryStatus"]), "market_status of %r" % (k,))
        inv = [i["invoiceNumber"] for b in x["newBoxes"] for i in b["invoices"]]
        obtest.check(r["invoice_no"] == (inv[0] if inv else ""), "re-delivery invoice of %r" % (k,))
        pk = x["pickups"][0]["invoiceNumber"] if x["pickups"] else ""
        obtest.check(r["pickup_invoice_no"] == pk, "pickup of exchange %r" % (k,))
        obtest.check(r["redelivery_name"] and r["redelivery_address"] and re.fullmatch(r"\d{5}", r["redelivery_zip"]),
                     "re-delivery columns of %r: %r" % (k, (r["redelivery_name"], r["redelivery_zip"])))
        obtest.check(int(r["claim_qty"]) == it["quantity"] and r["qty"] == "", "exchange qty of %r" % (k,))
obtest.check(len({x["exchangeStatus"] for x in cp["exchanges"]}) == 5, "exchanges in every exchangeStatus")
extra = set(by_key) - seen
obtest.check(not {k for k in extra if by_key[k]["claim_type"] == "EXCHANGE"}, "exchanges not in the sandbox: %r" % extra)
ex = [q for q in st["requests"] if q["endpoint"] == "GET v4 exchangeRequests"]
obtest.check(len(ex) >= 3, "19 days need three exchange windows (%d)" % len(ex))
for q in ex:
    f = re.search(r"createdAtFrom=(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)", q["query"]).group(1)
    t = re.search(r"createdAtTo=(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)", q["query"]).group(1)
    d = datetime.datetime.fromisoformat(t) - datetime.datetime.fromisoformat(f)
    obtest.check(d <= datetime.timedelta(days=7), "an exchange window of %s was sent" % d)
uc = [q for q in st["requests"] if q["endpoint"] == "GET v6 returnRequests" and "status=UC" in q["query"]]
obtest.check(uc and all(q["status"] == 200 for q in st["requests"]), "UC listed and every request succeeded")
' "$TMP" "$COUPANG_URL"

# --- the seller's decisions ---
py '
import sys, obtest
tmp = sys.argv[1]
rows = obtest.read_sheet(tmp + "/x.claims.csv")
fields = list(rows[0].keys())
def ids(pred):
    return sorted({r["claim_id"] for r in rows if pred(r)})
unchecked = ids(lambda r: r["claim_type"] == "RETURN" and r["market_status"].startswith("RETURNS_UNCHECKED/비대상/")
                and not r["pickup_invoice_no"])
received = ids(lambda r: r["claim_type"] == "RETURN" and r["market_status"].startswith("VENDOR_WAREHOUSE_CONFIRM/"))
receipt = ids(lambda r: r["claim_type"] == "EXCHANGE" and r["market_status"] == "RECEIPT/BeforeDirection/BeforeDirection")
early = ids(lambda r: r["claim_type"] == "EXCHANGE" and r["market_status"].startswith("PROGRESS/Delivering/"))
obtest.check(len(unchecked) >= 5 and received and len(receipt) >= 3 and early,
             "data: %d unchecked returns, %d received, %d new exchanges, %d early" % (len(unchecked), len(received), len(receipt), len(early)))
plan = {"approve": unchecked[0], "hold": unchecked[1], "reject": unchecked[2], "pickup": unchecked[3],
        "interrupt": unchecked[4], "approve2": received[0], "x_approve": receipt[0], "x_reject": receipt[1],
        "x_pickup": receipt[2], "x_early": early[0]}
for r in rows:
    c = r["claim_id"]
    if c == plan["approve"]: r["action"] = "APPROVE"
    elif c == plan["approve2"]: r["action"] = "승인"
    elif c == plan["hold"]: r["action"] = "HOLD"
    elif c == plan["reject"]: r["action"] = "REJECT"
    elif c == plan["pickup"]:
        r["action"], r["pickup_courier"], r["pickup_invoice_no"] = "PICKUP", "롯데택배", "3001-2345-6789"
    elif c == plan["x_approve"]: r["action"] = "APPROVE"
    elif c == plan["x_reject"]: r["action"], r["seller_reason"] = "REJECT", "재고 소진으로 품절"
    elif c == plan["x_pickup"]: r["action"], r["pickup_courier"], r["pickup_invoice_no"] = "PICKUP", "한진택배", "412345678901"
    elif c == plan["x_early"]: r["action"], r["courier"], r["invoice_no"] = "RESHIP", "CJ대한통운", "611122223333"
obtest.write_sheet(tmp + "/s1.csv", rows, fields)
# Second sheet: the received exchange re-shipped.
for r in rows:
    r["action"] = ""
    if r["claim_id"] == plan["x_approve"]:
        r["action"], r["courier"], r["invoice_no"] = "RESHIP", "CJ대한통운", "655544443333"
obtest.write_sheet(tmp + "/s2.csv", rows, fields)
# Third sheet: one approval that will be interrupted between its two steps.
for r in rows:
    r["action"] = "APPROVE" if r["claim_id"] == plan["interrupt"] else ""
obtest.write_sheet(tmp + "/s3.csv", rows, fields)
open(tmp + "/plan.txt", "w").write(repr(plan))
' "$TMP"

# Dry run: nothing sent; the unsupported rows say why.
curl -sf -X POST "$COUPANG_URL/_sandbox/reset-log" >/dev/null
ob import "$TMP/s1.csv" >"$TMP/dry.txt" 2>&1
expect_rc 0 "dry run"
grep -q "UNSUPPORTED" "$TMP/dry.txt" || { cat "$TMP/dry.txt"; fail "the plan does not list the unsupported rows"; }
py 'import sys, obtest; obtest.check(obtest.state(sys.argv[1])["log"]["total"] == 0, "a dry run sent requests")' "$COUPANG_URL"

# Apply: the early RESHIP fails (exit 1), everything else is done or UNSUPPORTED.
ob import "$TMP/s1.csv" --apply >"$TMP/apply1.txt" 2>&1
[ "$RC" -eq 1 ] || { cat "$TMP/apply1.txt"; fail "apply: exit $RC, want 1"; }
py '
import sys, ast, obtest
tmp, url = sys.argv[1], sys.argv[2]
plan = ast.literal_eval(open(tmp + "/plan.txt").read())
st = obtest.state(url)["coupang"]
claims = {c["receiptId"]: c for c in st["claims"]}
exs = {x["exchangeId"]: x for x in st["exchanges"]}
res = {}
for r in obtest.read_sheet(tmp + "/s1.result.csv"):
    if r["action"]:
        res.setdefault(r["claim_id"], []).append(r)
def results(cid):
    return {(r["result"], r["message"]) for r in res[cid]}
def one(cid, want, word=""):
    got = results(cid)
    obtest.check(len(got) == 1 and list(got)[0][0] == want and word in list(got)[0][1], "%s: %r, want %s %s" % (cid, got, want, word))
one(plan["approve"], "OK", "received")
obtest.check(claims[plan["approve"]]["receiptStatus"] == "RETURNS_COMPLETED" and claims[plan["approve"]]["completeConfirmType"] == "VENDOR_CONFIRM", "return not approved: %r" % claims[plan["approve"]])
one(plan["approve2"], "OK", "approved")
obtest.check(claims[plan["approve2"]]["receiptStatus"] == "RETURNS_COMPLETED", "received return not approved")
one(plan["hold"], "UNSUPPORTED", "쿠팡확인요청")
one(plan["reject"], "UNSUPPORTED", "no call to reject a return")
for k in ("hold", "reject"):
    obtest.check(claims[plan[k]]["receiptStatus"] == "RETURNS_UNCHECKED", "%s changed the return" % k)
one(plan["pickup"], "OK", "pickup invoice")
obtest.check(claims[plan["pickup"]]["pickups"] == [{"deliveryCompanyCode": "HYUNDAI", "invoiceNumber": "300123456789"}],
             "pickup invoice: %r" % claims[plan["pickup"]]["pickups"])
one(plan["x_approve"], "OK", "received")
x = exs[plan["x_approve"]]
obtest.check(x["exchangeStatus"] == "PROGRESS" and x["collectStatus"] == "CompleteCollect", "exchange not received: %r" % x)
one(plan["x_reject"], "OK", "SOLDOUT")
obtest.check(exs[plan["x_reject"]]["exchangeStatus"] == "REJECT" and exs[plan["x_reject"]]["rejectCode"] == "SOLDOUT", "exchange not rejected")
one(plan["x_pickup"], "OK", "pickup invoice")
obtest.check(exs[plan["x_pickup"]]["pickups"] == [{"deliveryCompanyCode": "HANJIN", "invoiceNumber": "412345678901"}], "exchange pickup")
one(plan["x_early"], "FAILED", "CompleteCollect")
obtest.check(all(not i["invoices"] for b in exs[plan["x_early"]]["newBoxes"] for i in [b]), "an invoice went onto an exchange still being picked up")
log = obtest.state(url)["log"]["endpoints"]
obtest.check(log["PUT v4 returnRequests/{receiptId}/receiveConfirmation"]["count"] == 1, "receive confirmations: %r" % log.get("PUT v4 returnRequests/{receiptId}/receiveConfirmation"))
obtest.check(log["PUT v4 returnRequests/{receiptId}/approval"]["count"] == 2, "approvals")
obtest.check("POST v4 exchangeRequests/{exchangeId}/invoices" not in log, "the early RESHIP was sent")
' "$TMP" "$COUPANG_URL"

# Exactly once: the same sheet again sends no writes. Same store: the journal
# answers; a fresh store: every claim is re-read and found done.
curl -sf -X POST "$COUPANG_URL/_sandbox/reset-log" >/dev/null
ob import "$TMP/s1.csv" --apply --force >"$TMP/again.txt" 2>&1
py '
import sys, obtest
st = obtest.state(sys.argv[1])
writes = [q["endpoint"] for q in st["requests"] if q["method"] != "GET"]
obtest.check(not writes, "the second import sent writes: %r" % writes)
' "$COUPANG_URL"
ob import "$TMP/s1.csv" --apply --force --store "$TMP/fresh.db" >"$TMP/fresh.txt" 2>&1
py '
import sys, ast, obtest
tmp, url = sys.argv[1], sys.argv[2]
plan = ast.literal_eval(open(tmp + "/plan.txt").read())
st = obtest.state(url)
writes = [q["endpoint"] for q in st["requests"] if q["method"] != "GET"]
obtest.check(not writes, "the import with a fresh store sent writes: %r" % writes)
obtest.check(any(q["method"] == "GET" for q in st["requests"]), "the fresh store did not re-read")
res = obtest.read_sheet(tmp + "/s1.result.csv")
for k in ("approve", "approve2", "pickup", "x_approve", "x_reject", "x_pickup"):
    got = {(r["result"], r["message"]) for r in res if r["claim_id"] == plan[k] and r["action"]}
    obtest.check(got and all(g[0] == "SKIPPED" for g in got), "%s on the rerun: %r" % (k, got))
' "$TMP" "$COUPANG_URL"

# The received exchange is re-shipped on its new box.
ob import "$TMP/s2.csv" --apply >"$TMP/apply2.txt" 2>&1
expect_rc 0 "re-ship"
py '
import sys, ast, obtest
tmp, url = sys.argv[1], sys.argv[2]
plan = ast.literal_eval(open(tmp + "/plan.txt").read())
st = obtest.state(url)
x = {x["exchangeId"]: x for x in st["coupang"]["exchanges"]}[plan["x_approve"]]
box = x["newBoxes"][0]
obtest.check(box["invoices"] == [{"deliverCode": "CJGLS", "invoiceNumber": "655544443333"}] and x["exchangeStatus"] == "SUCCESS",
             "re-delivery: %r" % x)
obtest.check(box["shipmentBoxId"] != x["items"][0]["originalShipmentBoxId"], "the invoice went onto the original box")
res = [r for r in obtest.read_sheet(tmp + "/s2.result.csv") if r["action"]]
obtest.check(res and all(r["result"] == "OK" and box["shipmentBoxId"] in r["message"] for r in res), "RESHIP rows: %r" % [(r["result"], r["message"]) for r in res])
inv = [q for q in st["requests"] if q["endpoint"] == "POST v4 exchangeRequests/{exchangeId}/invoices"]
obtest.check(len(inv) == 1 and inv[0]["items"] == 1, "invoice calls: %r" % inv)
' "$TMP" "$COUPANG_URL"

# Interrupted two-step approval: the approval call fails after the receive
# confirmation went through; the rerun sends only the approval.
curl -sf -X POST "$COUPANG_URL/_sandbox/coupang/fail-next?endpoint=PUT%20v4%20returnRequests%2F%7BreceiptId%7D%2Fapproval" >/dev/null
ob import "$TMP/s3.csv" --apply >"$TMP/apply3.txt" 2>&1
[ "$RC" -ne 0 ] || { cat "$TMP/apply3.txt"; fail "the interrupted approval reported success"; }
py '
import sys, ast, obtest
tmp, url = sys.argv[1], sys.argv[2]
plan = ast.literal_eval(open(tmp + "/plan.txt").read())
c = {c["receiptId"]: c for c in obtest.state(url)["coupang"]["claims"]}[plan["interrupt"]]
obtest.check(c["receiptStatus"] == "VENDOR_WAREHOUSE_CONFIRM", "after the interruption: %s" % c["receiptStatus"])
res = [r for r in obtest.read_sheet(tmp + "/s3.result.csv") if r["action"]]
obtest.check(res and all(r["result"] == "FAILED" and "again" in r["message"] for r in res), "interrupted rows: %r" % [r["message"] for r in res])
' "$TMP" "$COUPANG_URL"
curl -sf -X POST "$COUPANG_URL/_sandbox/reset-log" >/dev/null
ob import "$TMP/s3.csv" --apply --force >"$TMP/apply3b.txt" 2>&1
expect_rc 0 "rerun of the interrupted approval"
py '
import sys, ast, obtest
tmp, url = sys.argv[1], sys.argv[2]
plan = ast.literal_eval(open(tmp + "/plan.txt").read())
st = obtest.state(url)
c = {c["receiptId"]: c for c in st["coupang"]["claims"]}[plan["interrupt"]]
obtest.check(c["receiptStatus"] == "RETURNS_COMPLETED", "the rerun did not finish: %s" % c["receiptStatus"])
writes = [q["endpoint"] for q in st["requests"] if q["method"] != "GET"]
obtest.check(writes == ["PUT v4 returnRequests/{receiptId}/approval"], "the rerun sent %r" % writes)
res = [r for r in obtest.read_sheet(tmp + "/s3.result.csv") if r["action"]]
obtest.check(res and all(r["result"] == "OK" for r in res), "rerun rows: %r" % [(r["result"], r["message"]) for r in res])
' "$TMP" "$COUPANG_URL"
# A return the buyer withdraws after it was exported: Coupang's withdrawal list
# names the request only (no type); the store saw it as a RETURN, so the sheet
# shows a withdrawn RETURN, not a CANCEL.
RID=$(py '
import sys, obtest
tmp, url = sys.argv[1], sys.argv[2]
exported = {r["claim_id"] for r in obtest.read_sheet(tmp + "/x.claims.csv") if r["claim_type"] == "RETURN"}
for c in obtest.state(url)["coupang"]["claims"]:
    if (c["receiptType"] == "RETURN" and not c["withdrawn"] and c["receiptStatus"] == "RETURNS_UNCHECKED"
            and c["releaseStopStatus"] not in ("미처리", "처리(출고중지)") and str(c["receiptId"]) in exported):
        print(c["receiptId"])
        break
' "$TMP" "$COUPANG_URL")
[ -n "$RID" ] || fail "no exported, undecided return to withdraw"
curl -sf -X POST "$COUPANG_URL/_sandbox/coupang/withdraw?receiptId=$RID" >/dev/null
ob export --market coupang --from "$FROM" --status all --what claims -o "$TMP/w.csv" 2>>"$TMP/export.log"
expect_rc 0 "export after the withdrawal"
py '
import sys, obtest
rows = [r for r in obtest.read_sheet(sys.argv[1] + "/w.claims.csv") if r["claim_id"] == sys.argv[2]]
obtest.check(rows and all((r["claim_type"], r["claim_status"]) == ("RETURN", "WITHDRAWN") for r in rows),
             "the withdrawn return %s: %r" % (sys.argv[2], [(r["claim_type"], r["claim_status"]) for r in rows]))
' "$TMP" "$RID"
echo ok
