#!/usr/bin/env bash
# export --template accounting for a sandbox month: one row per order line of
# every status, no personal data, and its totals equal the sums over the plain
# export of the same range; 공급가액 + 부가세 = 매출액 per row, 부가세 =
# 매출액/11 without the part below one won.
source "$(dirname "$0")/lib.bash"
LIB="$(dirname "$0")"
tpy() { PYTHONPATH="$LIB" python3 -c "$@"; }

start_sandbox --today 2025-02-05 --days 45 --orders 400 --seed 8
# Cancellations in the month (the generated January has none left open):
# Coupang CS cancels part of one box and the whole of another.
tpy '
import sys, json, urllib.request, obtest
url = sys.argv[1]
boxes = [b for b in obtest.state(url)["coupang"]["boxes"]
         if b["orderedAt"].startswith("2025-01") and b["status"] in ("ACCEPT", "INSTRUCT") and not b["gone"]]
multi = [b for b in boxes if sum(i["toShip"] for i in b["items"]) >= 2]
obtest.check(len(multi) >= 2, "January has %d open boxes with 2+ units" % len(multi))
for b, count in [(multi[0], 1), (multi[1], sum(i["toShip"] for i in multi[1]["items"]))]:
    r = obtest.post(url, "/_sandbox/coupang/cancel-request?shipmentBoxId=%s&count=%d" % (b["shipmentBoxId"], count))
    obtest.post(url, "/_sandbox/coupang/cs-confirm?receiptId=%s" % r["receiptId"])
' "$COUPANG_URL"
ob export --market coupang --from 2025-01-01 --to 2025-01-31 --template accounting -o "$TMP/acc.csv" 2>"$TMP/e1.log"
expect_rc 0 "accounting export"
[ -f "$TMP/acc.csv" ] || { cat "$TMP/e1.log"; fail "accounting.csv"; }
ob export --market coupang --from 2025-01-01 --to 2025-01-31 --status all --what orders -o "$TMP/plain.csv" 2>"$TMP/e2.log"
expect_rc 0 "plain export"
ob export --market coupang --from 2025-01-01 --to 2025-01-31 --template accounting -o "$TMP/acc.xlsx" 2>"$TMP/e3.log"
expect_rc 0 "accounting XLSX"

tpy '
import sys, obtest, template_lib as tl
tmp = sys.argv[1]
acc = obtest.read_sheet(tmp + "/acc.csv")
plain = obtest.read_sheet(tmp + "/plain.orders.csv")
obtest.check(len(acc) > 50 and len(acc) == len(plain), "%d accounting rows, %d plain rows" % (len(acc), len(plain)))
head = list(acc[0].keys())
obtest.check(head == ["일자", "마켓", "계정", "주문번호", "상품주문번호", "상태", "상품명", "옵션명", "주문수량", "취소수량",
                      "순수량", "판매가", "할인액", "배송비", "결제금액", "매출액", "공급가액", "부가세"], "headers: %r" % head)
for personal in ["구매자", "수령인", "주소", "상세주소", "우편번호", "수령인연락처", "배송메모"]:
    obtest.check(personal not in head, personal + " in the accounting sheet")
text = open(tmp + "/acc.csv", encoding="utf-8-sig").read()
obtest.check("0505-" not in text and "0504-" not in text, "a phone number in the accounting sheet")
obtest.check({(r["주문번호"], r["상품주문번호"]) for r in acc} == {(r["order_no"], r["line_no"]) for r in plain}, "lines differ")
obtest.check(all(r["일자"].startswith("2025-01-") for r in acc), "dates outside January")
obtest.check(len({r["상태"] for r in acc}) > 2, "every status: %r" % {r["상태"] for r in acc})
def i(v):
    return int(v) if v else 0
def tot(rows, col):
    return sum(i(r[col]) for r in rows)
for ko, en in [("주문수량", "qty"), ("취소수량", "cancel_qty"), ("할인액", "discount"), ("배송비", "shipping_fee"),
               ("결제금액", "paid_amount")]:
    obtest.check(tot(acc, ko) == tot(plain, en), "%s: %d vs %d" % (ko, tot(acc, ko), tot(plain, en)))
obtest.check(tot(acc, "순수량") == tot(plain, "qty") - tot(plain, "cancel_qty"), "순수량 total")
obtest.check(tot(plain, "cancel_qty") > 0, "the month has cancellations")
def net(r):
    q, c, paid, fee = i(r["qty"]), i(r["cancel_qty"]), i(r["paid_amount"]), i(r["shipping_fee"])
    if q <= 0 or c <= 0:
        return paid
    if c >= q:
        return 0
    return (paid - fee) * (q - c) // q + fee
obtest.check(tot(acc, "매출액") == sum(net(r) for r in plain), "매출액 total")
for r in acc:
    n, s, v = i(r["매출액"]), i(r["공급가액"]), i(r["부가세"])
    obtest.check(s + v == n and v == int(n / 11), "row %s: %d + %d != %d or VAT not amount/11" % (r["주문번호"], s, v, n))
obtest.check(tot(acc, "공급가액") + tot(acc, "부가세") == tot(acc, "매출액"), "공급가액 + 부가세 total")
xl = tl.read_xlsx(tmp + "/acc.xlsx")
obtest.check(xl[0] == head and len(xl) == len(acc) + 1, "XLSX and CSV differ")
ci = head.index("결제금액")
obtest.check(sum(int(float(r[ci] or 0)) for r in xl[1:]) == tot(acc, "결제금액"), "XLSX money total")
print("accounting: %d lines, paid %d, sales %d, VAT %d" % (len(acc), tot(acc, "결제금액"), tot(acc, "매출액"), tot(acc, "부가세")))
' "$TMP"
echo "ok"
