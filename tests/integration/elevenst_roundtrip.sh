#!/usr/bin/env bash
# 11st import round trip against the sandbox over HTTP: export, edit the sheets
# (ACK with an address changed after the export, SHIP a prepared bundle and a
# paid one, SHIP onto an open cancel request, DELAY, CANCEL, APPROVE and REJECT
# cancel requests), import --apply, then compare the sandbox's state and the
# result files. Importing the same sheets again sends no write (request log)
# and says SKIPPED, both through the journal and, with a fresh store, through
# the adapter's own re-read.
source "$(dirname "$0")/lib.bash"

start_sandbox --orders 400 --seed 11
TODAY=$(TZ=Asia/Seoul date +%F)
FROM=$(TZ=Asia/Seoul date -d "$TODAY -6 days" +%F)
export TODAY FROM

# Situations the test needs, made explicit through the sandbox's setters:
# an address change on a paid order, and three cancel requests on prepared
# (acknowledged) single-bundle orders. Their ids go to $TMP/setup.json.
py '
import json, sys, obtest
url = sys.argv[1]
st = obtest.state(url)
lines = st["lines"]
def bundles(status):
    by = {}
    for l in lines:
        by.setdefault(l["dlvNo"], []).append(l)
    return [v for v in by.values() if all(l["status"] == status for l in v) and len({l["ordNo"] for l in v}) == 1]
paid = [b for b in bundles("202") if b[0]["addPrdYn"] == "N" and not b[0].get("pendingAddress")]
prep = bundles("301")
obtest.check(len(paid) >= 5, "the data set has at least 5 paid bundles, has %d" % len(paid))
obtest.check(len(prep) >= 6, "the data set has at least 6 prepared bundles, has %d" % len(prep))
moved = paid[0][0]["ordNo"]
obtest.post(url, "/_sandbox/11st/address-change?ordNo=" + moved)
claims = []
for b in prep[3:6]:
    r = obtest.post(url, "/_sandbox/11st/cancel-request?ordNo=%s&ordPrdSeq=%s" % (b[0]["ordNo"], b[0]["ordPrdSeq"]))
    claims.append(r["ordPrdCnSeq"])
setup = {
    "ack": [paid[0][0]["ordNo"], paid[1][0]["ordNo"], paid[2][0]["ordNo"]],
    "moved": moved,
    "ship_paid": paid[3][0]["dlvNo"],
    "delay": paid[4][0]["ordNo"],
    "ship_prep": prep[0][0]["dlvNo"],
    "cancel": prep[1][0]["ordNo"],
    "ship_open": prep[3][0]["dlvNo"],
    "approve": claims[1],
    "reject": claims[2],
}
json.dump(setup, open(sys.argv[2], "w"))
' "$ELEVENST_URL" "$TMP/setup.json"

ob export --market 11st --from "$FROM" --to "$TODAY" --what all --status all -o "$TMP/day.csv"
expect_rc 0 "export"

# Edit the sheets as a seller would.
py '
import datetime, json, sys, obtest
tmp, today = sys.argv[1], sys.argv[2]
s = json.load(open(tmp + "/setup.json"))
orders = obtest.read_sheet(tmp + "/day.orders.csv")
claims = obtest.read_sheet(tmp + "/day.claims.csv")
later = (datetime.date.fromisoformat(today) + datetime.timedelta(days=3)).isoformat()
n = 0
for r in orders:
    if r["order_no"] in s["ack"]:
        r["action"] = "ACK"
    elif r["bundle_no"] == s["ship_prep"]:
        r["action"], r["courier"], r["invoice_no"] = "SHIP", "CJ대한통운", "500000000001"
    elif r["bundle_no"] == s["ship_paid"]:
        r["action"], r["courier"], r["invoice_no"] = "발송", "CJ", "5000-0000-0002"
    elif r["bundle_no"] == s["ship_open"]:
        r["action"], r["courier"], r["invoice_no"] = "SHIP", "CJ대한통운", "500000000003"
    elif r["order_no"] == s["delay"]:
        r["action"], r["delay_until"], r["reason"] = "DELAY", later, "주문 폭주로 출고 작업이 늦어지고 있습니다"
    elif r["order_no"] == s["cancel"]:
        r["action"], r["reason"] = "CANCEL", "재고 소진으로 품절되었습니다"
    else:
        continue
    n += 1
obtest.check(n >= 8, "marked %d order rows" % n)
for r in claims:
    if r["claim_id"] == s["approve"]:
        r["action"] = "APPROVE"
    elif r["claim_id"] == s["reject"]:
        r["action"], r["courier"], r["invoice_no"] = "REJECT", "한진택배", "500000000004"
obtest.check(sum(1 for r in claims if r["action"]) == 2, "both claims are in the claims sheet")
obtest.write_sheet(tmp + "/day.orders.csv", orders, list(orders[0].keys()))
obtest.write_sheet(tmp + "/day.claims.csv", claims, list(claims[0].keys()))
' "$TMP" "$TODAY"

ob import "$TMP/day.orders.csv" "$TMP/day.claims.csv" >"$TMP/dry.out"
expect_rc 0 "dry run"
cat "$TMP/dry.out"
# 11st has no bulk acknowledgement: the plan's list says each unit is a call.
grep -Eq '^  11st[^ ]* ACK #[0-9]+: [0-9]+ rows?, one call each for [0-9]+ units?:' "$TMP/dry.out" ||
	fail "the dry run's list of calls does not say 11st ACK is one call per line"
ob import --apply "$TMP/day.orders.csv" "$TMP/day.claims.csv" 2>"$TMP/import1.err"
cat "$TMP/import1.err" >&2
expect_rc 1 "import --apply (the SHIP onto an open cancel request fails)"

# The result files and the sandbox's state.
py '
import json, sys, obtest
tmp, url, today = sys.argv[1], sys.argv[2], sys.argv[3]
s = json.load(open(tmp + "/setup.json"))
st = obtest.state(url)
lines = {(l["ordNo"], l["ordPrdSeq"]): l for l in st["lines"]}
claims = {c["ordPrdCnSeq"]: c for c in st["claims"]}
res = obtest.read_sheet(tmp + "/day.orders.result.csv")
src = obtest.read_sheet(tmp + "/day.orders.csv")
obtest.check(len(res) == len(src), "the result file has every row (%d of %d)" % (len(res), len(src)))
for r in res:
    l = lines[(r["order_no"], r["line_no"])]
    a, what = r["action"], "%s %s/%s: %s %s" % (r["action"], r["order_no"], r["line_no"], r["result"], r["message"])
    if not a:
        obtest.check(r["result"] == "", "no result without an action: " + what)
    elif a == "ACK":
        obtest.check(r["result"] == "OK" and l["status"] == "301", what)
        moved = r["order_no"] == s["moved"]
        obtest.check((r["address_changed"] == "Y") == moved, "address_changed only for the moved order: " + what)
        if moved:
            obtest.check(l["receiver"]["addr1"] in r["message"], "the new address is in the message: " + what)
    elif r["bundle_no"] == s["ship_open"]:
        obtest.check(r["result"] == "FAILED" and "APPROVE or REJECT" in r["message"], what)
        obtest.check(l["status"] in ("701", "301") and l["invoice"] == "", "not shipped: " + str(l))
    elif a in ("SHIP", "발송"):
        inv = "500000000001" if r["bundle_no"] == s["ship_prep"] else "500000000002"
        obtest.check(r["result"] == "OK", what)
        obtest.check(l["status"] == "401" and l["invoice"] == inv and l["courier"] == "00034", "shipped: " + str(l))
    elif a == "DELAY":
        obtest.check(r["result"] == "OK" and l["delayUntil"].startswith(r["delay_until"]), what)
        obtest.check(l["delayReason"] == "02", "reason code 02 (order surge): " + str(l))
    elif a == "CANCEL":
        obtest.check(r["result"] == "OK" and l["status"] == "B01", what)
cres = obtest.read_sheet(tmp + "/day.claims.result.csv")
for r in cres:
    if not r["action"]:
        continue
    c = claims[r["claim_id"]]
    l = lines[(r["order_no"], r["line_no"])]
    what = "%s %s: %s %s" % (r["action"], r["claim_id"], r["result"], r["message"])
    if r["action"] == "APPROVE":
        obtest.check(r["result"] == "OK" and c["status"] == "02" and l["status"] == "B01", what)
    else:
        obtest.check(r["result"] == "OK" and c["status"] == "03", what)
        obtest.check(l["status"] == "401" and l["invoice"] == "500000000004" and l["courier"] == "00011", str(l))
writes = [q for q in st["requests"] if q["endpoint"].split(" ")[1].split("/")[1] in
          ("reqpackaging", "reqdelivery", "deliveryDelayGuide", "reqrejectorder", "cancelreqconf", "cancelreqreject")]
names = sorted(q["endpoint"] for q in writes)
obtest.check(names.count("GET ordservices/reqdelivery") == 2, "two reqdelivery calls: %s" % names)
obtest.check(not any(q["path"].endswith("/500000000003/" + s["ship_open"]) for q in writes), "nothing shipped onto the request")
json.dump(len(st["requests"]), open(tmp + "/n1.json", "w"))
' "$TMP" "$ELEVENST_URL" "$TODAY"

# Again, same store: the journal answers; no write reaches 11st.
py 'import sys, obtest; obtest.post(sys.argv[1], "/_sandbox/reset-log")' "$ELEVENST_URL"
ob import --apply --force "$TMP/day.orders.csv" "$TMP/day.claims.csv"
expect_rc 1 "second import"
# Again with a fresh store: the adapter re-reads 11st and finds everything done.
mv "$TMP/day.orders.result.csv" "$TMP/second.orders.result.csv"
mv "$TMP/day.claims.result.csv" "$TMP/second.claims.result.csv"
ob import --apply --store "$TMP/fresh.db" "$TMP/day.orders.csv" "$TMP/day.claims.csv"
expect_rc 1 "import with a fresh store"
py '
import sys, obtest
tmp, url = sys.argv[1], sys.argv[2]
st = obtest.state(url)
writes = [q["endpoint"] + " " + q["path"] for q in st["requests"] if q["endpoint"].split(" ")[1].split("/")[1] in
          ("reqpackaging", "reqdelivery", "deliveryDelayGuide", "reqrejectorder", "cancelreqconf", "cancelreqreject")]
obtest.check(not writes, "no write call on the second and third import: %s" % writes)
obtest.check(any("orderlistalladdr" in q["endpoint"] for q in st["requests"]), "the third import re-read the lines")
for name in ("second", "day"):
    for sheet in ("orders", "claims"):
        for r in obtest.read_sheet("%s/%s.%s.result.csv" % (tmp, name, sheet)):
            if not r["action"]:
                continue
            what = "%s %s %s/%s: %s %s" % (name, r["action"], r["order_no"], r["line_no"], r["result"], r["message"])
            if "APPROVE or REJECT" in r["message"]:
                obtest.check(r["result"] == "FAILED", what)
            else:
                obtest.check(r["result"] == "SKIPPED", what)
'  "$TMP" "$ELEVENST_URL"
echo "1 passed, 0 failed"
