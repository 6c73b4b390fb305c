#!/usr/bin/env bash
# Coupang export end to end through HTTP against the sandbox: every order line
# and claim exactly once, windows over 31 days, pages over 50, the claim filters
# of the lifecycle notes, 18-digit ids, a wrong secret, faults, and the golden
# rows of the examples printed in coupang.md.
source "$(dirname "$0")/lib.bash"

start_sandbox --today 2026-11-20 --days 60 --orders 400 --seed 7
ob -v export --market coupang --from 2026-09-22 --to 2026-11-20 --status all -o "$TMP/all.csv" 2>"$TMP/export.log"
expect_rc 0 "export"

py '
import sys, obtest
orders = obtest.read_sheet(sys.argv[1] + "/all.orders.csv")
claims = obtest.read_sheet(sys.argv[1] + "/all.claims.csv")
st = obtest.state(sys.argv[2])
cp = st["coupang"]
status_map = {"ACCEPT": "PAID", "INSTRUCT": "PREPARING", "DEPARTURE": "SHIPPING", "DELIVERING": "SHIPPING",
              "NONE_TRACKING": "SHIPPING", "FINAL_DELIVERY": "DELIVERED"}
# Orders: every item of every listed box exactly once, with its status and quantities.
want = {}
for b in cp["boxes"]:
    if b["gone"]:
        continue
    for it in b["items"]:
        key = (b["orderId"], it["vendorItemId"], b["shipmentBoxId"])
        obtest.check(key not in want, "duplicate item in state %r" % (key,))
        want[key] = (b, it)
got = {}
for r in orders:
    key = (r["order_no"], r["line_no"], r["bundle_no"])
    obtest.check(key not in got, "line %r exported twice" % (key,))
    got[key] = r
obtest.check(set(got) == set(want), "exported lines differ from the sandbox: missing %d, extra %d" %
             (len(set(want) - set(got)), len(set(got) - set(want))))
for key, (b, it) in want.items():
    r = got[key]
    obtest.check(r["bundle_no"] == b["shipmentBoxId"], "bundle of %r: %s != %s" % (key, r["bundle_no"], b["shipmentBoxId"]))
    obtest.check(r["market_status"] == b["status"], "status of %r" % (key,))
    cancelled = it["cancelCount"] + it["holdCountForCancel"]
    exp = "CANCELLED" if cancelled >= it["shippingCount"] else status_map[b["status"]]
    obtest.check(r["status"] == exp, "unified status of %r: %s, want %s" % (key, r["status"], exp))
    obtest.check(int(r["qty"]) == it["shippingCount"] and int(r["cancel_qty"]) == cancelled and
                 int(r["ship_qty"]) == it["shippingCount"] - cancelled, "quantities of %r" % (key,))
    obtest.check(r["zip"] == b["receiver"]["postCode"], "zip of %r: %r" % (key, r["zip"]))
long_ids = [r["bundle_no"] for r in orders if len(r["bundle_no"]) == 18]
obtest.check(len(long_ids) > 10, "18-digit shipmentBoxIds survive")
obtest.check(any(r["zip"].startswith("0") for r in orders), "leading-zero zip codes survive")

# Claims: the filters of the lifecycle notes decide the unified status.
def unified(c):
    if c["receiptType"] == "CANCEL":
        return ("CANCEL", "DONE", "")
    by = {"VENDOR_CONFIRM": "seller", "CS_CONFIRM": "market"}.get(c["completeConfirmType"], "")
    stop_request = c["receiptStatus"] == "RELEASE_STOP_UNCHECKED" or (
        c["receiptStatus"] == "RETURNS_UNCHECKED" and c["releaseStopStatus"] in ("미처리", "처리(출고중지)"))
    if not stop_request:
        s = {"RETURNS_COMPLETED": "DONE", "REQUEST_COUPANG_CHECK": "HELD"}.get(c["receiptStatus"], "REQUESTED")
        return ("RETURN", s, by)
    stop = c["releaseStopStatus"]
    if stop == "처리(출고중지)": return ("CANCEL", "APPROVED", by)
    if stop == "처리(이미출고)": return ("CANCEL", "REJECTED", by)
    if stop == "자동처리(이미출고)": return ("CANCEL", "REJECTED", "market")
    if by == "market": return ("CANCEL", "APPROVED", "market")
    return ("CANCEL", "REQUESTED", "")
want = {}
for c in cp["claims"]:
    # Every request the lists show: RU, UC, CC, PR (returns) and CANCEL.
    if c["withdrawn"] or not c["listedUnder"]:
        continue
    for it in c["items"]:
        want[(c["receiptId"], it["vendorItemId"], it["shipmentBoxId"])] = (c, it)
got = {}
for r in claims:
    # Exchanges: coupang_returns.sh checks them.
    if r["claim_status"] == "WITHDRAWN" or r["claim_type"] == "EXCHANGE":
        continue
    key = (r["claim_id"], r["line_no"], r["bundle_no"])
    obtest.check(key not in got, "claim line %r exported twice" % (key,))
    got[key] = r
obtest.check(set(got) == set(want), "claims differ: missing %r extra %r" % (sorted(set(want) - set(got))[:5], sorted(set(got) - set(want))[:5]))
combos = set()
for key, (c, it) in want.items():
    r = got[key]
    t, s, by = unified(c)
    obtest.check((r["claim_type"], r["claim_status"], r["confirmed_by"]) == (t, s, by),
                 "claim %r (%s/%s/%s): got %s/%s/%s, want %s/%s/%s" % (key, c["receiptStatus"], c["releaseStopStatus"],
                 c["completeConfirmType"], r["claim_type"], r["claim_status"], r["confirmed_by"], t, s, by))
    obtest.check(int(r["qty"]) == it["purchaseCount"] and int(r["claim_qty"]) == it["cancelCount"], "claim qty of %r" % (key,))
    combos.add((c["receiptStatus"], c["releaseStopStatus"], c["completeConfirmType"]))
obtest.check(len(combos) >= 18, "every receiptStatus x releaseStopStatus x completeConfirmType combination is covered (%d seen)" % len(combos))
obtest.check(any(int(r["claim_qty"]) < int(r["qty"]) for r in claims), "a partial cancel is in the sheet")
withdrawn = [r for r in claims if r["claim_status"] == "WITHDRAWN"]
obtest.check(len(withdrawn) >= 1, "withdrawals are in the sheet")

# Windows and pages, from the request log.
reqs = st["requests"]
lists = [q for q in reqs if q["endpoint"] == "GET v5 ordersheets"]
obtest.check(any("nextToken=" in q["query"] for q in lists), "pages beyond 50 rows were followed")
import re, datetime
for q in lists:
    f = re.search(r"createdAtFrom=(\d{4}-\d\d-\d\d)", q["query"]).group(1)
    t = re.search(r"createdAtTo=(\d{4}-\d\d-\d\d)", q["query"]).group(1)
    d = (datetime.date.fromisoformat(t) - datetime.date.fromisoformat(f)).days
    obtest.check(0 <= d < 31, "a window of %d days was sent" % d)
obtest.check(len({re.search(r"createdAtFrom=([^&]*)", q["query"]).group(1) for q in lists}) >= 2, "60 days needed two windows")
obtest.check(all(q["status"] == 200 for q in reqs), "every request succeeded")
' "$TMP" "$COUPANG_URL"

# Exported files are private: they hold buyers' addresses.
[ "$(stat -c %a "$TMP/all.orders.csv")" = 600 ] || fail "the orders sheet is not mode 0600"

# A wrong secret: exit 2, the account named, the secret never shown.
sed 's/^secret_key *=.*/secret_key = 1111111111222222222233333333334444444444/' "$CFG" >"$TMP/bad.ini"
chmod 600 "$TMP/bad.ini"
set +e
"$OB" --config "$TMP/bad.ini" export --market coupang --from 2026-11-20 -o "$TMP/bad.csv" 2>"$TMP/bad.err"
rc=$?
set -e
[ $rc -eq 2 ] || fail "wrong secret: exit $rc, want 2"
grep -q "coupang.sandbox" "$TMP/bad.err" || fail "the error does not name the account"
grep -q "401" "$TMP/bad.err" || fail "the error does not say 401"
! grep -q "1111111111" "$TMP/bad.err" || fail "the secret leaked into the error"
[ ! -e "$TMP/bad.orders.csv" ] || fail "a failed export left a sheet"

# Faults: the same rows come out.
stop_sandbox
start_sandbox --today 2026-11-20 --days 60 --orders 400 --seed 7 --fault 500:20%,429:10%
ob export --market coupang --from 2026-09-22 --to 2026-11-20 --status all -o "$TMP/faults.csv" 2>"$TMP/faults.log"
expect_rc 0 "export under faults"
py '
import sys, obtest
for sheet in ("orders", "claims"):
    a = obtest.read_sheet(sys.argv[1] + "/all.%s.csv" % sheet)
    b = obtest.read_sheet(sys.argv[1] + "/faults.%s.csv" % sheet)
    key = lambda r: (r["order_no"], r["line_no"], r["claim_id"], r["claim_status"] if "claim_status" in r else "")
    strip = lambda rows: sorted((tuple(sorted((k, v) for k, v in r.items() if k not in ("address_changed", "message"))) for r in rows))
    obtest.check(strip(a) == strip(b), "%s differ under faults (%d vs %d rows)" % (sheet, len(a), len(b)))
st = obtest.state(sys.argv[2])
faulted = [q for q in st["requests"] if q.get("fault")]
obtest.check(len(faulted) > 5, "faults were injected (%d)" % len(faulted))
' "$TMP" "$COUPANG_URL"

# Golden rows: the examples printed in coupang.md, served as they are.
stop_sandbox
start_sandbox --today 2026-11-20 --dataset "coupang=$OB_TEST_DATA/coupang/doc_examples.json"
ob export --market coupang --from 2025-01-01 --to 2025-01-31 --status all --what orders -o "$TMP/golden.csv"
expect_rc 0 "golden export orders"
ob export --market coupang --from 2017-08-20 --to 2017-09-19 --status all --what claims -o "$TMP/golden.csv"
expect_rc 0 "golden export claims"
for s in orders claims; do
	diff -u "$OB_TEST_DATA/coupang/doc_examples.expected.$s.csv" "$TMP/golden.$s.csv" ||
		fail "golden $s sheet differs"
done
echo "ok"
