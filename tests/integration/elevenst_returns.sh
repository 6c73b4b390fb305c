#!/usr/bin/env bash
# 11st returns (반품) and exchanges (교환) against the sandbox over HTTP: export
# the claims sheet (the six lists, clmStat -> unified status, fees with commas,
# nulls, re-delivery address), mark actions (return APPROVE / HOLD before and
# after the pickup / REJECT / PICKUP, exchange APPROVE / RESHIP / REJECT /
# HOLD, APPROVE on a withdrawn return), import --apply and compare the
# sandbox's state. Importing the same sheet again sends no write (request
# log), through the journal and, with a fresh store, through the adapter's own
# re-read. Then: 11st's own refusal (-24006) reaches the row, and the return
# invoice falls back to the single claimservice/returninvc path when the
# documented doubled one answers 404. Last, more than 3,000 return requests on
# one day come out whole (the capped window is split).
source "$(dirname "$0")/lib.bash"

start_sandbox --orders 400 --seed 11
TODAY=$(TZ=Asia/Seoul date +%F)
FROM=$(TZ=Asia/Seoul date -d "$TODAY -29 days" +%F)

# Fresh claims on delivered single-line orders, through the buyer-side setters.
py '
import json, sys, obtest
url = sys.argv[1]
st = obtest.state(url)
busy = {(c["ordNo"], c["ordPrdSeq"]) for c in st["retex"]}
per_order = {}
for l in st["lines"]:
    per_order.setdefault(l["ordNo"], []).append(l)
free = [v[0] for v in per_order.values() if len(v) == 1 and v[0]["status"] in ("501", "901")
        and (v[0]["ordNo"], v[0]["ordPrdSeq"]) not in busy]
obtest.check(len(free) >= 12, "at least 12 delivered single-line orders, got %d" % len(free))
def req(kind, l, extra=""):
    r = obtest.post(url, "/_sandbox/11st/%s-request?ordNo=%s&ordPrdSeq=%s%s" % (kind, l["ordNo"], l["ordPrdSeq"], extra))
    return r["clmReqSeq"]
s = {
    "approve": req("return", free[0]),
    "hold": req("return", free[1]),
    "hold_picked": req("return", free[2], "&pickup=1"),
    "reject": req("return", free[3], "&rsn=111"),
    "pickup": req("return", free[4]),
    "withdrawn": req("return", free[5]),
    "x_approve": req("exchange", free[6]),
    "x_reship": req("exchange", free[7], "&rsn=207"),
    "x_reject": req("exchange", free[8]),
    "x_hold": req("exchange", free[9]),
    "late_pickup": req("return", free[10]),
}
obtest.check(len(set(s.values())) == len(s), "distinct claim numbers: %s" % s)
# A generated return waiting for the buyer to pay the fee (103), for 11st to refuse.
s["waiting"] = next(c["clmReqSeq"] for c in st["retex"] if c["status"] == "103")
json.dump(s, open(sys.argv[2], "w"))
' "$ELEVENST_URL" "$TMP/setup.json"

ob export --market 11st --from "$FROM" --to "$TODAY" --what claims -o "$TMP/c.csv"
expect_rc 0 "claims export"

# The export: every return and exchange the sandbox filed in the range, mapped.
py '
import json, sys, obtest
tmp, url, first = sys.argv[1], sys.argv[2], sys.argv[3]
s = json.load(open(tmp + "/setup.json"))
st = obtest.state(url)
rows = obtest.read_sheet(tmp + "/c.claims.csv")
byid = {r["claim_id"]: r for r in rows if r["claim_type"] in ("RETURN", "EXCHANGE")}
unified = {"103": "REQUESTED", "104": "HELD", "105": "REQUESTED", "106": "DONE", "107": "REJECTED", "108": "WITHDRAWN",
           "109": "HELD", "201": "REQUESTED", "214": "HELD", "221": "DONE", "232": "REJECTED", "233": "WITHDRAWN"}
lines = {(l["ordNo"], l["ordPrdSeq"]): l for l in st["lines"]}
seen = 0
for c in st["retex"]:
    if c["requestedAt"][:10] < first:
        continue
    r = byid.get(c["clmReqSeq"])
    obtest.check(r is not None, "claim %s (%s %s) exported" % (c["clmReqSeq"], c["type"], c["status"]))
    seen += 1
    what = "%s: %s" % (c["clmReqSeq"], r)
    obtest.check(r["claim_type"] == c["type"] and r["market_status"] == c["status"], what)
    obtest.check(r["claim_status"] == unified[c["status"]], "status %s -> %s: %s" % (c["status"], unified[c["status"]], what))
    obtest.check(r["order_no"] == c["ordNo"] and r["line_no"] == c["ordPrdSeq"] and r["claim_qty"] == str(c["qty"]), what)
    l = lines[(c["ordNo"], c["ordPrdSeq"])]
    obtest.check(r["product_name"] == l["prdNm"] and r["bundle_no"] == l["dlvNo"] and r["qty"] == str(l["qty"]), what)
    obtest.check(r["requested_at"] == c["requestedAt"], what)
    buyer = c["feeMethod"] != ""
    obtest.check(r["return_fee_payer"] == ("BUYER" if buyer else "SELLER"), "fee payer: " + what)
    # Fees travel as "6,000" / "12,000": the sheet has the plain number.
    obtest.check(r["extra_fee"] == (str(c["fee"]) if buyer and c["fee"] else ""), "fee %s: %s" % (c["fee"], what))
    obtest.check(r["pickup_invoice_no"] == c["pickupInvoice"], "pickup invoice: " + what)
    if c["pickupInvoice"]:
        obtest.check(r["pickup_courier"] == "CJ대한통운", "pickup courier: " + what)
    # The literal null reason text is no text.
    obtest.check("null" not in r["reason"] and r["reason"].endswith(c["reason"] if c["reason"] != "null" else ""), what)
    if c["type"] == "EXCHANGE":
        a = c["exchAddress"]
        obtest.check(r["redelivery_name"] == a["name"] and r["redelivery_zip"] == a["zip"] and
                     r["redelivery_address"] == a["addr1"] + " " + a["addr2"], "re-delivery address: " + what)
obtest.check(seen >= 20, "returns and exchanges exported: %d" % seen)
obtest.check(byid[s["x_approve"]]["redelivery_zip"] == "03154", "zip keeps its leading zero")
for k in ("approve", "x_approve"):
    obtest.check(byid[s[k]]["claim_status"] == "REQUESTED", "%s is requested" % k)
' "$TMP" "$ELEVENST_URL" "$FROM"

# The buyer withdraws one return after the export.
py '
import json, sys, obtest
s = json.load(open(sys.argv[2] + "/setup.json"))
obtest.post(sys.argv[1], "/_sandbox/11st/claim-withdraw?clmReqSeq=" + s["withdrawn"])
' "$ELEVENST_URL" "$TMP"

# The seller marks the sheet.
py '
import json, sys, obtest
tmp = sys.argv[1]
s = json.load(open(tmp + "/setup.json"))
rows = obtest.read_sheet(tmp + "/c.claims.csv")
marks = {
    s["approve"]: {"action": "APPROVE"},
    s["hold"]: {"action": "HOLD", "seller_reason": "반품 배송비가 동봉되지 않았습니다"},
    s["hold_picked"]: {"action": "보류", "seller_reason": "103 회수 상품에 사용 흔적이 있어 확인 중입니다"},
    s["reject"]: {"action": "REJECT", "seller_reason": "포장을 개봉하여 반품이 불가합니다"},
    s["pickup"]: {"action": "PICKUP", "pickup_courier": "CJ대한통운", "pickup_invoice_no": "5000-0000-0021"},
    s["withdrawn"]: {"action": "APPROVE"},
    s["x_approve"]: {"action": "APPROVE", "courier": "한진택배", "invoice_no": "500000000022"},
    s["x_reship"]: {"action": "RESHIP", "courier": "CJ대한통운", "invoice_no": "500000000023"},
    s["x_reject"]: {"action": "REJECT", "seller_reason": "202"},
    s["x_hold"]: {"action": "HOLD", "seller_reason": "재고 확인 중"},
}
n = 0
for r in rows:
    if r["claim_id"] in marks:
        r.update(marks[r["claim_id"]])
        n += 1
obtest.check(n == len(marks), "marked %d of %d claims" % (n, len(marks)))
obtest.write_sheet(tmp + "/c.claims.csv", rows, list(rows[0].keys()))
' "$TMP"

ob import "$TMP/c.claims.csv"
expect_rc 0 "dry run"
py 'import sys, obtest; obtest.post(sys.argv[1], "/_sandbox/reset-log")' "$ELEVENST_URL"
ob import --apply "$TMP/c.claims.csv" 2>"$TMP/import1.err"
cat "$TMP/import1.err" >&2
expect_rc 1 "import --apply (the withdrawn return fails)"

WRITES='("returnreqconf", "returnreqreject", "returnclaimdefer", "returncompletedefer", "exchangereqconf",
         "exchangereqreject", "returninvc", "claimservice")'
py '
import json, sys, obtest
tmp, url, writes = sys.argv[1], sys.argv[2], eval(sys.argv[3])
s = json.load(open(tmp + "/setup.json"))
st = obtest.state(url)
rc = {c["clmReqSeq"]: c for c in st["retex"]}
res = {r["claim_id"]: r for r in obtest.read_sheet(tmp + "/c.claims.result.csv") if r["action"]}
def row(k):
    r = res[s[k]]
    return r, rc[s[k]], "%s %s: %s %s %s" % (k, s[k], r["result"], r["market_code"] if "market_code" in r else "", r["message"])
r, c, w = row("approve")
obtest.check(r["result"] == "OK" and c["status"] == "106" and c["doneAt"], w)
line = next(l for l in st["lines"] if l["ordNo"] == c["ordNo"])
obtest.check(line["status"] == "A01", "the returned line is A01: %s" % line["status"])
r, c, w = row("hold")
obtest.check(r["result"] == "OK" and c["status"] == "104" and c["sellerCode"] == "102", w)
obtest.check(c["sellerReason"] == "반품 배송비가 동봉되지 않았습니다", "hold reason text, UTF-8 intact: " + c["sellerReason"])
r, c, w = row("hold_picked")
# A pickup invoice is known: the hold that stops the auto-complete, code 103 from the leading code.
obtest.check(r["result"] == "OK" and c["status"] == "109" and c["sellerCode"] == "103", w)
obtest.check(c["sellerReason"] == "회수 상품에 사용 흔적이 있어 확인 중입니다", w)
r, c, w = row("reject")
obtest.check(r["result"] == "OK" and c["status"] == "107" and c["sellerCode"] == "103", w)
obtest.check(c["sellerReason"] == "포장을 개봉하여 반품이 불가합니다", w)
r, c, w = row("pickup")
obtest.check(r["result"] == "OK" and c["status"] == "105" and c["pickupCourier"] == "00034" and
             c["pickupInvoice"] == "500000000021" and c["pickupMethod"] == "01", w)
r, c, w = row("withdrawn")
obtest.check(r["result"] == "FAILED" and "withdrew" in r["message"] and c["status"] == "108", w)
r, c, w = row("x_approve")
obtest.check(r["result"] == "OK" and c["status"] == "221" and c["resendCourier"] == "00011" and
             c["resendInvoice"] == "500000000022", w)
r, c, w = row("x_reship")
obtest.check(r["result"] == "OK" and c["status"] == "221" and c["resendCourier"] == "00034" and
             c["resendInvoice"] == "500000000023", w)
r, c, w = row("x_reject")
obtest.check(r["result"] == "OK" and c["status"] == "232" and c["sellerCode"] == "202" and
             c["sellerReason"] == "고객 교환신청 철회 대행", w)
r, c, w = row("x_hold")
obtest.check(r["result"] == "UNSUPPORTED" and "SellerOffice" in r["message"] and c["status"] == "201", w)
calls = [q for q in st["requests"] if q["endpoint"].split(" ")[1].split("/")[1] in writes]
names = sorted(q["endpoint"] for q in calls)
want = sorted(["GET claimservice/returnreqconf", "GET claimservice/returnclaimdefer", "GET claimservice/returncompletedefer",
               "GET claimservice/returnreqreject", "GET claimservice/claimservice/returninvc",
               "GET claimservice/exchangereqconf", "GET claimservice/exchangereqconf", "GET claimservice/exchangereqreject"])
obtest.check(names == want, "one write per acted claim: %s" % names)
inv = next(q for q in calls if "returninvc" in q["endpoint"])
obtest.check("/claimservice/claimservice/returninvc/" in inv["path"] and inv["path"].endswith("/00034/500000000021/01/" + s["pickup"]),
             "the documented return-invoice path: " + inv["path"])
rej = next(q for q in calls if "returnreqreject" in q["endpoint"])
obtest.check("/103/%ED%8F%AC%EC%9E%A5" in rej["path"], "reason code, then the UTF-8 percent-encoded text: " + rej["path"])
' "$TMP" "$ELEVENST_URL" "$WRITES"

# Exactly once: the same sheet again sends no write, through the journal ...
py 'import sys, obtest; obtest.post(sys.argv[1], "/_sandbox/reset-log")' "$ELEVENST_URL"
ob import --apply -o "$TMP/journal.csv" "$TMP/c.claims.csv" 2>"$TMP/import2.err"
expect_rc 1 "second import (the withdrawn return still fails)"
# ... and, with a fresh store, through the adapter's re-read of each claim.
ob import --apply --store "$TMP/fresh.db" -o "$TMP/again.csv" "$TMP/c.claims.csv" 2>"$TMP/import3.err"
expect_rc 1 "third import, fresh store (the withdrawn return still fails)"
py '
import json, sys, obtest
tmp, url, writes = sys.argv[1], sys.argv[2], eval(sys.argv[3])
s = json.load(open(tmp + "/setup.json"))
st = obtest.state(url)
calls = [q for q in st["requests"] if q["endpoint"].split(" ")[1].split("/")[1] in writes]
obtest.check(not calls, "no write on the second and third import: %s" % [q["path"] for q in calls])
reads = [q for q in st["requests"] if q["endpoint"].split(" ")[1].split("/")[1] in ("returnorders", "exchangeorders")]
obtest.check(reads, "the fresh store re-read the claims at 11st")
jres = {r["claim_id"]: r for r in obtest.read_sheet(tmp + "/journal.csv") if r["action"]}
for k in ("approve", "hold", "hold_picked", "reject", "pickup", "x_approve", "x_reship", "x_reject"):
    r = jres[s[k]]
    obtest.check(r["result"] == "SKIPPED" and r["message"].startswith("already done at "), "%s journal: %s" % (k, r))
res = {r["claim_id"]: r for r in obtest.read_sheet(tmp + "/again.csv") if r["action"]}
want = {"approve": "already completed (반품완료", "hold": "already on hold (반품보류", "hold_picked": "already on hold (반품완료보류",
        "reject": "already rejected (반품거부", "pickup": "pickup invoice 500000000021 is already registered",
        "x_approve": "already approved and re-shipped", "x_reship": "already approved and re-shipped",
        "x_reject": "already rejected (교환거부"}
for k, msg in want.items():
    r = res[s[k]]
    obtest.check(r["result"] == "SKIPPED" and msg in r["message"], "%s re-read: %s %s" % (k, r["result"], r["message"]))
' "$TMP" "$ELEVENST_URL" "$WRITES"

# 11st refuses a return waiting for the buyer's fee (103) with its own code;
# the return invoice falls back to claimservice/returninvc when the doubled
# path is not served.
py '
import json, sys, obtest
tmp, url = sys.argv[1], sys.argv[2]
s = json.load(open(tmp + "/setup.json"))
obtest.post(url, "/_sandbox/11st/returninvc-path?doubled=0")
rows = obtest.read_sheet(tmp + "/c.claims.csv")
for r in rows:
    r["action"] = r["seller_reason"] = r["pickup_courier"] = r["pickup_invoice_no"] = ""
    if r["claim_id"] == s["waiting"]:
        r["action"] = "APPROVE"
    elif r["claim_id"] == s["late_pickup"]:
        r["action"], r["pickup_courier"], r["pickup_invoice_no"] = "PICKUP", "롯데택배", "500000000031"
obtest.check(sum(1 for r in rows if r["action"]) == 2, "both rows marked")
obtest.write_sheet(tmp + "/late.claims.csv", rows, list(rows[0].keys()))
' "$TMP" "$ELEVENST_URL"
py 'import sys, obtest; obtest.post(sys.argv[1], "/_sandbox/reset-log")' "$ELEVENST_URL"
ob import --apply "$TMP/late.claims.csv" 2>"$TMP/import4.err"
expect_rc 1 "late import (11st refuses the 103 return)"
py '
import json, sys, obtest
tmp, url = sys.argv[1], sys.argv[2]
s = json.load(open(tmp + "/setup.json"))
st = obtest.state(url)
rc = {c["clmReqSeq"]: c for c in st["retex"]}
res = {r["claim_id"]: r for r in obtest.read_sheet(tmp + "/late.claims.result.csv") if r["action"]}
r = res[s["waiting"]]
obtest.check(r["result"] == "FAILED" and "(-24006)" in r["message"] and rc[s["waiting"]]["status"] == "103",
             "11st refused with its code: %s" % r)
r = res[s["late_pickup"]]
c = rc[s["late_pickup"]]
obtest.check(r["result"] == "OK" and c["pickupCourier"] == "00012" and c["pickupInvoice"] == "500000000031", "%s %s" % (r, c))
inv = [(q["path"], q["status"]) for q in st["requests"] if "returninvc" in q["path"]]
obtest.check(len(inv) == 2 and "/claimservice/claimservice/returninvc/" in inv[0][0] and inv[0][1] == 404 and
             "/rest/claimservice/returninvc/" in inv[1][0] and inv[1][1] == 200, "doubled path, then the single one: %s" % inv)
' "$TMP" "$ELEVENST_URL"

# More than 3,000 return requests on one day: returnorders answers 3,000 and
# drops the rest silently; the export splits the window until every one is in.
BUSY=$(TZ=Asia/Seoul date -d "$TODAY -20 days" +%F)
py 'import sys, obtest; obtest.post(sys.argv[1], "/_sandbox/11st/return-burst?day=%s&count=3500" % sys.argv[2]); obtest.post(sys.argv[1], "/_sandbox/reset-log")' "$ELEVENST_URL" "$BUSY"
ob export --market 11st --from "$BUSY" --to "$BUSY" --what claims -o "$TMP/busy.csv"
expect_rc 0 "busy-day claims export"
py '
import sys, obtest
tmp, url, day = sys.argv[1], sys.argv[2], sys.argv[3]
st = obtest.state(url)
want = {c["clmReqSeq"] for c in st["retex"] if c["type"] == "RETURN" and c["requestedAt"].startswith(day)}
got = [r["claim_id"] for r in obtest.read_sheet(tmp + "/busy.claims.csv") if r["claim_type"] == "RETURN" and r["requested_at"].startswith(day)]
obtest.check(len(want) >= 3500, "the burst is in the sandbox: %d" % len(want))
obtest.check(len(got) == len(set(got)) and set(got) == want, "every return of the busy day exported once: %d of %d" % (len(set(got)), len(want)))
capped = [q for q in st["requests"] if "/returnorders/" in q["path"] and q["rows"] == 3000]
obtest.check(capped, "returnorders hit the cap and the window was split")
' "$TMP" "$ELEVENST_URL" "$BUSY"
echo "ok"
