#!/usr/bin/env bash
# export --from-dump: recorded answers of the three markets' order lists (the
# documented examples, made into pages by bench/gen_dump.py) become the orders
# sheet without config, network or store: every line once, in folder, file
# and row order whatever --jobs is, 18-digit ids and EUC-KR text intact.
# Folders that name no account, answers that are not what the folder says and
# options that belong to fetching are refused, naming the folder or file, and
# nothing is written then.
source "$(dirname "$0")/lib.bash"

D="$TMP/dump"
python3 "$OB_SOURCE_DIR/bench/gen_dump.py" "$OB_TEST_DATA" "$D" 3000 >/dev/null
mv "$D/11st" "$D/11st.shop2"           # an account id as the folder name
mv "$D/11st.shop2/00001.xml" "$D/11st.shop2/packaging-00001.xml"
cp "$D/coupang/00001.json" "$D/coupang/.hidden.json" # dot files are skipped

run() { set +e; "$OB" "$@"; RC=$?; set -e; }

run export --from-dump "$D" -o "$TMP/j1.csv" --what orders --jobs 1 2>"$TMP/e1.log"
expect_rc 0 "from-dump --jobs 1"
run export --from-dump "$D" -o "$TMP/j4.csv" --what orders --jobs 4 2>"$TMP/e4.log"
expect_rc 0 "from-dump --jobs 4"
cmp -s "$TMP/j1.orders.csv" "$TMP/j4.orders.csv" || fail "the row order depends on --jobs"
grep -q '^coupang.main: 20 recorded answers, 1000 order lines' "$TMP/e1.log" || fail "coupang count: $(cat "$TMP/e1.log")"
grep -q '^11st.shop2: 1 recorded answers, 1000 order lines' "$TMP/e1.log" || fail "11st count: $(cat "$TMP/e1.log")"
grep -q '^smartstore.main: 4 recorded answers, 1000 order lines' "$TMP/e1.log" || fail "smartstore count"
[ ! -e "$XDG_DATA_HOME/orderbridge/store.db" ] || fail "--from-dump touched the store"

py '
import sys, re, obtest
tmp, data = sys.argv[1], sys.argv[2]
rows = obtest.read_sheet(tmp + "/j1.orders.csv")
obtest.check(len(rows) == 3000, "3000 rows, not %d" % len(rows))
# markets in the registry order, each in file and row order
markets = [r["market"] for r in rows]
obtest.check(markets == ["coupang"] * 1000 + ["11st"] * 1000 + ["smartstore"] * 1000, "market order")
cp = rows[:1000]
boxes = [int(r["bundle_no"]) for r in cp]
obtest.check(boxes == [642538971006400000 + i for i in range(1000)], "18-digit boxes exact and in order")
obtest.check(all(r["account"] == "main" for r in cp), "coupang account")
st = rows[1000:2000]
obtest.check(all(r["account"] == "shop2" for r in st), "11st account from the folder name")
obtest.check([r["order_no"] for r in st] == [str(20260225000000000 + i) for i in range(1000)], "11st order numbers")
# EUC-KR decoded: the documented row says 김영희 at 서울특별시 강남구 테헤란로 152
obtest.check(st[0]["receiver_name"] == "김영희" and st[0]["address1"] == "서울특별시 강남구 테헤란로 152",
             "11st text: %r %r" % (st[0]["receiver_name"], st[0]["address1"]))
obtest.check(st[0]["status"] == "PAID", "11st row status from its ordPrdStat 202, not the file name: %r" % st[0]["status"])
ss = rows[2000:]
obtest.check([r["line_no"] for r in ss] == [str(2022051100000000 + i) for i in range(1000)], "smartstore lines")
obtest.check(len({(r["market"], r["line_no"], r["bundle_no"]) for r in rows}) == 3000, "every line once")
' "$TMP" "$OB_TEST_DATA"

# --market and --account take accounts as for a fetch; XLSX output works the same way.
run --account shop2 export --from-dump "$D" -o "$TMP/st.xlsx" --what orders 2>"$TMP/e5.log"
expect_rc 0 "--account shop2"
grep -q '^11st.shop2: 1 recorded answers, 1000 order lines' "$TMP/e5.log" || fail "account filter: $(cat "$TMP/e5.log")"
grep -q 'coupang' "$TMP/e5.log" && fail "--account shop2 converted coupang too"
[ -s "$TMP/st.xlsx" ] || fail "no workbook"
run export --from-dump "$D" --market 11st,smartstore -o "$TMP/m.csv" --what orders 2>"$TMP/e5b.log"
expect_rc 0 "--market 11st,smartstore"
grep -q '^11st.shop2: ' "$TMP/e5b.log" && grep -q '^smartstore.main: ' "$TMP/e5b.log" || fail "market filter: $(cat "$TMP/e5b.log")"
grep -q 'coupang' "$TMP/e5b.log" && fail "--market 11st,smartstore converted coupang too"
run export --from-dump "$D" --market kupang -o "$TMP/bad.csv" 2>"$TMP/e5c.log"
expect_rc 2 "unknown market"
grep -q "unknown market 'kupang' in --market" "$TMP/e5c.log" || fail "unknown market: $(cat "$TMP/e5c.log")"
run export --from-dump "$D" --status PAID,SOLD -o "$TMP/bad.csv" 2>"$TMP/e5d.log"
expect_rc 2 "unknown status"
grep -q "unknown status 'SOLD' in --status" "$TMP/e5d.log" || fail "unknown status: $(cat "$TMP/e5d.log")"

# --status filters the lines (the documented rows: Coupang's are DELIVERED,
# 11st's PAID, SmartStore's PREPARING).
run export --from-dump "$D" --status PAID,PREPARING -o "$TMP/st.csv" --what orders 2>"$TMP/e15.log"
expect_rc 0 "--status with --from-dump"
py '
import sys, obtest
rows = obtest.read_sheet(sys.argv[1] + "/st.orders.csv")
got = sorted({(r["market"], r["status"]) for r in rows})
obtest.check(got == [("11st", "PAID"), ("smartstore", "PREPARING")] and len(rows) == 2000, "status filter: %r %d" % (got, len(rows)))
' "$TMP"

# Options of fetching do not go with recorded answers.
run export --from-dump "$D" --from 2026-01-01 -o "$TMP/x.csv" 2>"$TMP/e6.log"
expect_rc 2 "--from with --from-dump"
grep -q -- '--from does not go with it' "$TMP/e6.log" || fail "clash message: $(cat "$TMP/e6.log")"

# A damaged answer names its file, and nothing is written.
printf '{"code":"ERROR","message":"Invalid vendor"}' >"$D/coupang/00007.json"
run export --from-dump "$D" -o "$TMP/bad.csv" --jobs 3 2>"$TMP/e7.log"
[ "$RC" -ne 0 ] || fail "a damaged answer was accepted"
grep -q "coupang/00007.json: not an answer of Coupang's ordersheets list" "$TMP/e7.log" || fail "damaged: $(cat "$TMP/e7.log")"
grep -q "Invalid vendor" "$TMP/e7.log" || fail "the answer's own message is not shown"
ls "$TMP"/bad* >/dev/null 2>&1 && fail "a sheet was written although an answer was damaged"
printf 'not json at all' >"$D/coupang/00007.json"
run export --from-dump "$D" -o "$TMP/bad.csv" 2>"$TMP/e8.log"
[ "$RC" -ne 0 ] || fail "a file that is not JSON was accepted"
grep -q "coupang/00007.json: response is not JSON" "$TMP/e8.log" || fail "not json: $(cat "$TMP/e8.log")"
cp "$D/coupang/00006.json" "$D/coupang/00007.json"

# 11st's own error answer (a negative result code) is an error, not 0 rows.
printf '<?xml version="1.0" encoding="EUC-KR"?><ns2:orders xmlns:ns2="x"><ns2:result_code>-3000</ns2:result_code><ns2:result_text>bad key</ns2:result_text></ns2:orders>' \
	>"$D/11st.shop2/zz.xml"
run export --from-dump "$D" --market 11st -o "$TMP/bad.csv" 2>"$TMP/e9.log"
[ "$RC" -ne 0 ] || fail "11st's error answer was accepted: $(cat "$TMP/e9.log")"
grep -q "11st.shop2/zz.xml" "$TMP/e9.log" || fail "11st error: $(cat "$TMP/e9.log")"
rm "$D/11st.shop2/zz.xml"

# A folder that names no account (a typo would lose its orders) is refused.
mkdir "$D/kupang.main"
run export --from-dump "$D" -o "$TMP/bad.csv" 2>"$TMP/e10.log"
expect_rc 2 "unknown folder"
grep -q "kupang.main: a recorded-answers folder is named after its account" "$TMP/e10.log" || fail "folder: $(cat "$TMP/e10.log")"
rmdir "$D/kupang.main"
mkdir "$D/coupang.main"
run export --from-dump "$D" -o "$TMP/bad.csv" 2>"$TMP/e11.log"
expect_rc 2 "two folders of one account"
grep -q "the same account coupang.main" "$TMP/e11.log" || fail "same account: $(cat "$TMP/e11.log")"
rmdir "$D/coupang.main"
run export --from-dump "$TMP/nowhere" -o "$TMP/bad.csv" 2>"$TMP/e12.log"
expect_rc 2 "missing folder"
run --account shop9 export --from-dump "$D" --market coupang -o "$TMP/bad.csv" 2>"$TMP/e13.log"
expect_rc 2 "a selection that takes no folder"
grep -q "has no folder of an account that --market coupang --account shop9 takes" "$TMP/e13.log" || fail "account typo: $(cat "$TMP/e13.log")"
mkdir "$TMP/empty"
run export --from-dump "$TMP/empty" -o "$TMP/bad.csv" 2>"$TMP/e14.log"
expect_rc 2 "a folder without accounts"
ls "$TMP"/bad* >/dev/null 2>&1 && fail "a sheet was written by a failed run"
echo "export_dump: ok"
