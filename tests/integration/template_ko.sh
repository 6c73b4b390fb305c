#!/usr/bin/env bash
# export --template ko (Korean headers, CSV and XLSX) round trip through
# import against the Coupang sandbox: the seller's Korean words (발주확인, 발송)
# in the 작업 column are planned and applied, the result file keeps the Korean
# headers; the XLSX workbook reads back with both sheets.
source "$(dirname "$0")/lib.bash"
LIB="$(dirname "$0")"
tpy() { PYTHONPATH="$LIB" python3 -c "$@"; }

start_sandbox --days 10 --orders 80 --seed 5
FROM=$(TZ=Asia/Seoul date -d '9 days ago' +%F)
ob export --market coupang --from "$FROM" --status all --template ko -o "$TMP/ko.csv" 2>"$TMP/e1.log"
expect_rc 0 "export ko CSV"
ob export --market coupang --from "$FROM" --status all --template ko -o "$TMP/ko.xlsx" 2>"$TMP/e2.log"
expect_rc 0 "export ko XLSX"

tpy '
import sys, obtest, template_lib as tl
tmp = sys.argv[1]
rows = obtest.read_sheet(tmp + "/ko.orders.csv")
head = list(rows[0].keys())
obtest.check(head[:8] == ["작업", "처리결과", "메시지", "마켓", "계정", "주문번호", "상품주문번호", "묶음배송번호"], "orders headers: %r" % head[:8])
claims = obtest.read_sheet(tmp + "/ko.claims.csv")
obtest.check(list(claims[0].keys())[5:7] == ["클레임번호", "클레임유형"], "claims headers")
held = {r["묶음배송번호"] for r in rows if r["취소수량"] not in ("", "0")}
paid = sorted({r["묶음배송번호"] for r in rows if r["상태"] == "PAID"} - held)
prep = sorted({r["묶음배송번호"] for r in rows if r["상태"] == "PREPARING"} - held)
obtest.check(len(paid) >= 3 and prep, "data: %d paid, %d preparing boxes" % (len(paid), len(prep)))
ack, ship = set(paid[:3]), prep[0]
n_ack = n_ship = 0
for r in rows:
    if r["묶음배송번호"] in ack:
        r["작업"] = "발주확인"
        n_ack += 1
    elif r["묶음배송번호"] == ship:
        r["작업"] = "발송"
        r["택배사"] = "CJ대한통운"
        r["송장번호"] = "612345678901"
        n_ship += 1
obtest.write_sheet(tmp + "/edit.csv", rows, head)
open(tmp + "/expect", "w").write("%d %d %s %s\n" % (n_ack, n_ship, ship, ",".join(sorted(ack))))
' "$TMP"
read -r N_ACK N_SHIP SHIP_BOX ACK_BOXES <"$TMP/expect"

ob import "$TMP/edit.csv" --template ko >"$TMP/plan.txt" 2>&1
expect_rc 0 "dry run of the Korean sheet"
grep -Eq "coupang.sandbox +ACK +$N_ACK rows" "$TMP/plan.txt" || { cat "$TMP/plan.txt"; fail "ACK plan"; }
grep -Eq "coupang.sandbox +SHIP +$N_SHIP rows" "$TMP/plan.txt" || { cat "$TMP/plan.txt"; fail "SHIP plan"; }
ob import "$TMP/edit.csv" --template cj-booking >"$TMP/bad.txt" 2>&1
expect_rc 2 "an upload layout is no sheet to import"
ob import "$TMP/edit.csv" --apply >"$TMP/apply.txt" 2>&1
expect_rc 0 "apply"
tpy '
import sys, obtest
tmp, url, ship, acks = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(",")
st = {b["shipmentBoxId"]: b for b in obtest.state(url)["coupang"]["boxes"]}
for b in acks:
    obtest.check(st[b]["status"] == "INSTRUCT", "box %s is %s" % (b, st[b]["status"]))
obtest.check(st[ship]["status"] == "DEPARTURE" and st[ship]["invoiceNumber"] == "612345678901", "shipped box")
res = obtest.read_sheet(tmp + "/edit.result.csv")
obtest.check(list(res[0].keys())[:3] == ["작업", "처리결과", "메시지"], "result headers stay Korean")
done = [r for r in res if r["작업"]]
obtest.check(done and all(r["처리결과"] == "OK" for r in done), "results: %r" % {r["처리결과"] for r in done})
' "$TMP" "$COUPANG_URL" "$SHIP_BOX" "$ACK_BOXES"

ob import "$TMP/ko.xlsx" >"$TMP/xlsx.txt" 2>&1
expect_rc 0 "the Korean workbook reads back"
grep -q "ko.xlsx (sheet orders): orders sheet" "$TMP/xlsx.txt" || { cat "$TMP/xlsx.txt"; fail "orders sheet of the workbook"; }
grep -q "ko.xlsx (sheet claims): claims sheet" "$TMP/xlsx.txt" || { cat "$TMP/xlsx.txt"; fail "claims sheet of the workbook"; }
echo "ok"
