#!/usr/bin/env bash
# Courier round trip against the Coupang sandbox: export -> cj-booking (CP949
# CSV and XLSX, one row per box, our line key in 고객주문번호) -> a CJ result
# file as the courier sends it (built here from the booking: same keys,
# invoices added, one extra row with an unknown key, one row with another
# receiver, one row booked elsewhere) -> import --template cj-result: SHIP
# planned for exactly the lines of the matching boxes, the bad rows named;
# the same with an empty store and the orders sheet given instead; --apply
# ships them in the sandbox, and the result file says so per row.
source "$(dirname "$0")/lib.bash"
LIB="$(dirname "$0")"
tpy() { PYTHONPATH="$LIB" python3 -c "$@"; }

start_sandbox --days 10 --orders 120 --seed 21
FROM=$(TZ=Asia/Seoul date -d '9 days ago' +%F)
ob export --market coupang --from "$FROM" -o "$TMP/plain.csv" 2>"$TMP/e1.log"
expect_rc 0 "plain export"
ob export --market coupang --from "$FROM" --template cj-booking -o "$TMP/book.csv" 2>"$TMP/e2.log"
expect_rc 0 "cj-booking CSV"
[ -f "$TMP/book.csv" ] || fail "a one-sheet template writes -o NAME.csv as named"
ob export --market coupang --from "$FROM" --template cj-booking -o "$TMP/book.xlsx" 2>"$TMP/e3.log"
expect_rc 0 "cj-booking XLSX"

# The booking files: CP949, CJ's columns, one row per open box, unique keys.
tpy '
import sys, obtest, template_lib as tl
tmp = sys.argv[1]
raw = open(tmp + "/book.csv", "rb").read()
try:
    raw.decode("utf-8")
    obtest.check(False, "book.csv should be CP949, not UTF-8")
except UnicodeDecodeError:
    pass
csv_rows = tl.read_csv(tmp + "/book.csv", "cp949")
xl_rows = tl.read_xlsx(tmp + "/book.xlsx")
head = csv_rows[0]
for h in ["받는분성명", "받는분전화번호", "받는분주소", "고객주문번호", "품목명", "박스수량", "배송메세지1", "운송장번호"]:
    obtest.check(h in head, "booking header lacks " + h)
obtest.check(xl_rows[0] == head, "XLSX and CSV headers differ")
ki = head.index("고객주문번호")
keys = [r[ki] for r in csv_rows[1:]]
obtest.check(keys == [r[ki] for r in xl_rows[1:]], "XLSX and CSV rows differ")
obtest.check(len(set(keys)) == len(keys), "line keys repeat")
obtest.check(all(k.startswith("C") and len(k) <= 48 and "-" in k for k in keys), "bad keys: %r" % keys[:3])
plain = obtest.read_sheet(tmp + "/plain.orders.csv")
open_lines = [r for r in plain if int(r["qty"]) > int(r["cancel_qty"] or 0)]
boxes = {r["bundle_no"] for r in open_lines}
obtest.check(len(keys) == len(boxes), "%d booking rows for %d open boxes" % (len(keys), len(boxes)))
first = {}
for r in open_lines:
    first.setdefault(r["bundle_no"], "C%s-%s" % (r["order_no"], r["line_no"]))
obtest.check(set(keys) == set(first.values()), "each key is the first line of its box")
obtest.check(any(" / " in r[head.index("품목명")] for r in csv_rows[1:]), "no box with several lines")
obtest.check(all(r[head.index("박스수량")] == "1" for r in csv_rows[1:]), "박스수량")
' "$TMP"

# The courier result (XLSX, as its program saves it): a title row, then its own column order, invoices filled.
tpy '
import sys, json, obtest, template_lib as tl
tmp = sys.argv[1]
rows = tl.read_xlsx(tmp + "/book.xlsx")
head, data = rows[0], rows[1:]
ki, ni, ai = head.index("고객주문번호"), head.index("받는분성명"), head.index("받는분주소")
# Boxes with a partial cancel in progress cannot be acknowledged at Coupang
# (the row would fail for that reason): take boxes without any.
plain = obtest.read_sheet(tmp + "/plain.orders.csv")
box_of = {"C%s-%s" % (r["order_no"], r["line_no"]): r["bundle_no"] for r in plain}
held = {r["bundle_no"] for r in plain if r["cancel_qty"] not in ("", "0")}
data = [r for r in data if box_of[r[ki]] not in held]
out = [["CJ대한통운 운송장 출력 결과", "", "", ""], ["운송장번호", "받는분 성명", "고객주문번호", "받는분주소"]]
plan = {"ship": {}, "changed": None}
for n, r in enumerate(data[:10]):
    inv = "6%011d" % (n + 500)
    name = r[ni]
    if n == 3:
        name = "김변경"
        plan["changed"] = r[ki]
        plan["changed_row"] = len(out) + 1
    else:
        plan["ship"][r[ki]] = inv
    out.append([inv, name, r[ki], r[ai]])
plan["unknown_row"] = len(out) + 1
out.append(["600000009999", data[0][ni], "C99999999999999-1", data[0][ai]])
plan["foreign_row"] = len(out) + 1
out.append(["600000009998", "다른분", "NAVER-ORDER-77", "어딘가"])
tl.write_xlsx(tmp + "/cj.xlsx", out)
json.dump(plan, open(tmp + "/plan.json", "w"))
' "$TMP"

# Which lines should ship: every open line of the matching boxes.
EXPECT=$(tpy '
import sys, json, obtest
tmp = sys.argv[1]
plan = json.load(open(tmp + "/plan.json"))
plain = obtest.read_sheet(tmp + "/plain.orders.csv")
box_of = {"C%s-%s" % (r["order_no"], r["line_no"]): r["bundle_no"] for r in plain}
boxes = {box_of[k] for k in plan["ship"]}
print(sum(1 for r in plain if r["bundle_no"] in boxes and int(r["qty"]) > int(r["cancel_qty"] or 0)))
' "$TMP")
[ "$EXPECT" -gt 9 ] || fail "expected more lines than boxes, got $EXPECT"

curl -sf -X POST "$COUPANG_URL/_sandbox/reset-log" >/dev/null
ob import "$TMP/cj.xlsx" --template cj-result >"$TMP/plan.txt" 2>&1
expect_rc 3 "dry run with row errors"
grep -Eq "coupang.sandbox +SHIP +$EXPECT rows in 1 call" "$TMP/plan.txt" || { cat "$TMP/plan.txt"; fail "SHIP should be planned for exactly $EXPECT lines"; }
tpy '
import sys, json, obtest
tmp = sys.argv[1]
plan = json.load(open(tmp + "/plan.json"))
text = open(tmp + "/plan.txt").read()
obtest.check("cj.xlsx row %d, column 고객주문번호: line key C99999999999999-1 matches no order line" % plan["unknown_row"] in text,
             "the unknown key is not reported with file, row and key:\n" + text)
obtest.check("cj.xlsx row %d, column 받는분 성명: the courier has receiver \x27김변경\x27" % plan["changed_row"] in text,
             "the changed receiver is not reported:\n" + text)
obtest.check("row %d: \x27NAVER-ORDER-77\x27 is not an orderbridge line key" % plan["foreign_row"] in text,
             "the foreign row is not noted:\n" + text)
obtest.check("errors (2 rows)" in text, "exactly two rows in error:\n" + text)
' "$TMP"
tpy 'import sys, obtest; obtest.check(obtest.state(sys.argv[1])["log"]["total"] == 0, "a dry run sent requests")' "$COUPANG_URL"

# Without the store, the orders sheet given on the command line finds the lines.
ob import "$TMP/plain.orders.csv" "$TMP/cj.xlsx" --template cj-result --store "$TMP/empty.db" >"$TMP/plan2.txt" 2>&1
expect_rc 3 "dry run from the sheet"
grep -Eq "coupang.sandbox +SHIP +$EXPECT rows in 1 call" "$TMP/plan2.txt" || { cat "$TMP/plan2.txt"; fail "the sheet lookup plans otherwise"; }
# ... and with neither, nothing is guessed.
ob import "$TMP/cj.xlsx" --template cj-result --store "$TMP/empty2.db" >"$TMP/plan3.txt" 2>&1
expect_rc 3 "nothing to join on"
grep -q "errors (11 rows)" "$TMP/plan3.txt" || { cat "$TMP/plan3.txt"; fail "every keyed row should be unmatched"; }
grep -q "SHIP" "$TMP/plan3.txt" && fail "something was planned without any line to join"

# Applying refuses an invalid file unless told to skip the bad rows.
ob import "$TMP/cj.xlsx" --template cj-result --apply >"$TMP/apply0.txt" 2>&1
expect_rc 3 "apply with row errors"
ob import "$TMP/cj.xlsx" --template cj-result --apply --skip-invalid >"$TMP/apply.txt" 2>&1
expect_rc 1 "apply: two rows failed"
grep -q "OK $EXPECT, FAILED 2" "$TMP/apply.txt" || { cat "$TMP/apply.txt"; fail "apply counts"; }
tpy '
import sys, json, obtest, template_lib as tl
tmp, url = sys.argv[1], sys.argv[2]
plan = json.load(open(tmp + "/plan.json"))
plain = obtest.read_sheet(tmp + "/plain.orders.csv")
box_of = {"C%s-%s" % (r["order_no"], r["line_no"]): r["bundle_no"] for r in plain}
st = {b["shipmentBoxId"]: b for b in obtest.state(url)["coupang"]["boxes"]}
for key, inv in plan["ship"].items():
    b = st[box_of[key]]
    obtest.check(b["invoiceNumber"] == inv and b["status"] == "DEPARTURE",
                 "box %s: %s %s, expected %s" % (b["shipmentBoxId"], b["status"], b["invoiceNumber"], inv))
    obtest.check(b["deliveryCompanyName"] == "CJ대한통운", "courier of box %s" % b["shipmentBoxId"])
b = st[box_of[plan["changed"]]]
obtest.check(b["status"] in ("ACCEPT", "INSTRUCT") and not b["invoiceNumber"], "the changed receiver box was shipped")
res = tl.read_xlsx(tmp + "/cj.result.xlsx")
obtest.check(res[1][-2:] == ["처리결과", "메시지"], "result header: %r" % res[1])
results = {r[2]: (r[4] if len(r) > 4 else "") for r in res[2:]}
for key in plan["ship"]:
    obtest.check(results[key] == "OK", "result of %s: %s" % (key, results[key]))
obtest.check(results[plan["changed"]] == "FAILED", "result of the changed receiver row")
obtest.check(results["C99999999999999-1"] == "FAILED", "result of the unknown key")
obtest.check(results["NAVER-ORDER-77"] == "", "the foreign row got a result")
' "$TMP" "$COUPANG_URL"

# Once more: nothing is sent twice.
ob import "$TMP/cj.xlsx" --template cj-result --apply --skip-invalid -o "$TMP/again.csv" >"$TMP/again.txt" 2>&1
grep -q "SKIPPED $EXPECT" "$TMP/again.txt" || { cat "$TMP/again.txt"; fail "a second apply should skip every line"; }
echo "ok"
