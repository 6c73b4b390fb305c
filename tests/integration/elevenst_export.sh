#!/usr/bin/env bash
# 11st export against the sandbox over HTTP:
#  - a day with 7,000 paid orders (more than the silent 3,000-row cap) comes
#    out complete: the count equals the sandbox's, and -v shows the bisection;
#  - a 40-day claims range goes out in windows of at most 30 days, an orders
#    range in windows of at most 7, adjacent to the minute (request log);
#  - EUC-KR on the wire (the raw answer is not UTF-8 and says euc-kr) arrives
#    as the same UTF-8 text in the CSV; literal null is an empty cell;
#  - maintenance (-1000) and a wrong key fail with what to do.
source "$(dirname "$0")/lib.bash"

start_sandbox --orders 300 --days 45 --seed 5
TODAY=$(TZ=Asia/Seoul date +%F)
BUSY=$(TZ=Asia/Seoul date -d "$TODAY -2 days" +%F)

# --- 7,000 paid orders on one day ---
py 'import sys, obtest; r = obtest.post(sys.argv[1], "/_sandbox/11st/burst?day=%s&count=7000" % sys.argv[2]); obtest.check(r["count"] == 7000, str(r))' \
	"$ELEVENST_URL" "$BUSY"
ob -v export --market 11st --from "$BUSY" --to "$BUSY" --what orders --status PAID -o "$TMP/busy.csv" 2>"$TMP/busy.err"
expect_rc 0 "export of the busy day"
grep -q "splitting" "$TMP/busy.err" || fail "-v does not show the bisection: $(tail -5 "$TMP/busy.err")"
py '
import sys, obtest
tmp, url, day = sys.argv[1], sys.argv[2], sys.argv[3]
st = obtest.state(url)
want = {(l["ordNo"], l["ordPrdSeq"]) for l in st["lines"] if l["status"] == "202" and l["paidAt"].startswith(day)}
rows = obtest.read_sheet(tmp + "/busy.orders.csv")
got = [(r["order_no"], r["line_no"]) for r in rows]
obtest.check(len(want) >= 7000, "the sandbox has %d paid lines that day" % len(want))
obtest.check(len(got) == len(set(got)), "no line twice")
obtest.check(set(got) == want, "exported %d of %d paid lines (missing %d)" % (len(set(got) & want), len(want), len(want - set(got))))
lists = [q for q in st["requests"] if q["endpoint"] == "GET ordservices/complete"]
obtest.check(any(q["rows"] == 3000 for q in lists), "some window hit the cap: %s" % [q["rows"] for q in lists])
obtest.check(all(q["rows"] <= 3000 for q in lists), "no list answered more than 3000 rows")
' "$TMP" "$ELEVENST_URL" "$BUSY"

# --- window splitting: claims 40 days, orders 10 days ---
py 'import sys, obtest; obtest.post(sys.argv[1], "/_sandbox/reset-log")' "$ELEVENST_URL"
FROM40=$(TZ=Asia/Seoul date -d "$TODAY -39 days" +%F)
ob export --market 11st --from "$FROM40" --to "$TODAY" --what claims -o "$TMP/claims40.csv"
expect_rc 0 "40-day claims export"
FROM10=$(TZ=Asia/Seoul date -d "$TODAY -9 days" +%F)
ob export --market 11st --from "$FROM10" --to "$TODAY" --what orders --status all -o "$TMP/orders10.csv"
expect_rc 0 "10-day orders export"
py '
import datetime, sys, obtest
url, f40, f10, today = sys.argv[1:5]
st = obtest.state(url)
def windows(name):
    out = []
    for q in st["requests"]:
        parts = q["path"].split("/")
        # Windows that hit the cap were split: their halves tile them.
        if len(parts) == 6 and parts[3] == name and q["rows"] < 3000:
            a = datetime.datetime.strptime(parts[-2], "%Y%m%d%H%M")
            b = datetime.datetime.strptime(parts[-1], "%Y%m%d%H%M")
            out.append((a, b))
    return sorted(out)
def covers(ws, first, last, max_days, name):
    obtest.check(ws, "%s was listed" % name)
    start = datetime.datetime.fromisoformat(first)
    end = datetime.datetime.fromisoformat(last) + datetime.timedelta(days=1) - datetime.timedelta(minutes=1)
    obtest.check(ws[0][0] == start, "%s starts at %s: %s" % (name, start, ws[0]))
    obtest.check(ws[-1][1] == end, "%s ends at %s: %s" % (name, end, ws[-1]))
    for (a, b), (c, d) in zip(ws, ws[1:]):
        obtest.check(c == b + datetime.timedelta(minutes=1), "%s windows adjacent to the minute: %s %s" % (name, (a, b), (c, d)))
    for a, b in ws:
        obtest.check(b + datetime.timedelta(minutes=1) - a <= datetime.timedelta(days=max_days), "%s window %s..%s within %d days" % (name, a, b, max_days))
for name in ("cancelorders", "canceledorders", "withdrawcanceledorders"):
    ws = windows(name)
    obtest.check(len(ws) == 2, "%s: 40 days in 2 windows, got %s" % (name, ws))
    covers(ws, f40, today, 30, name)
for name in ("complete", "packaging", "shipping", "dlvcompleted"):
    ws = windows(name)
    # complete also holds the busy day, whose window was bisected.
    obtest.check(len(ws) == 2 or (name == "complete" and len(ws) > 2), "%s: 10 days in 2 windows, got %s" % (name, ws))
    covers(ws, f10, today, 7, name)
errors = [q for q in st["requests"] if q["status"] != 200]
obtest.check(not errors, "every call answered 200: %s" % errors[:3])
' "$ELEVENST_URL" "$FROM40" "$FROM10" "$TODAY"

# --- EUC-KR on the wire, UTF-8 in the sheet, null as empty ---
PORT=$(sed -n 's|^base_url = http://127.0.0.1:\([0-9]*\)/rest$|\1|p' "$CFG")
KEY=$(sed -n 's|^api_key = ||p' "$CFG")
T0=$(TZ=Asia/Seoul date -d "$FROM10" +%Y%m%d0000)
T1=$(TZ=Asia/Seoul date -d "$FROM10 +6 days" +%Y%m%d2359)
curl -s -H "openapikey: $KEY" "http://127.0.0.1:$PORT/rest/ordservices/packaging/$T0/$T1" >"$TMP/raw.xml"
py '
import sys, obtest
raw = open(sys.argv[1], "rb").read()
obtest.check(raw.startswith(b"<?xml version=\"1.0\" encoding=\"EUC-KR\" standalone=\"yes\"?>"), "EUC-KR prolog: %r" % raw[:80])
obtest.check(b"xmlns:ns2=\"http://skt.tmall.business.openapi.spring.service.client.domain/\"" in raw, "ns2 namespace")
try:
    raw.decode("utf-8")
    obtest.check(False, "the raw answer must not be UTF-8")
except UnicodeDecodeError:
    pass
text = raw.decode("cp949")
obtest.check("<ordDlvReqCont>null</ordDlvReqCont>" in text, "literal null on the wire")
' "$TMP/raw.xml"
py '
import sys, obtest
tmp, url = sys.argv[1], sys.argv[2]
st = obtest.state(url)
lines = {(l["ordNo"], l["ordPrdSeq"]): l for l in st["lines"]}
rows = obtest.read_sheet(tmp + "/orders10.orders.csv")
obtest.check(len(rows) > 50, "rows exported: %d" % len(rows))
hangul = nulls = 0
for r in rows:
    l = lines[(r["order_no"], r["line_no"])]
    what = "%s/%s" % (r["order_no"], r["line_no"])
    obtest.check(len(r["order_no"]) == 17, "17-digit order number " + what)
    obtest.check(r["bundle_no"] == l["dlvNo"] and r["option_id"] == l["prdStckNo"], "long ids intact " + what)
    obtest.check(r["product_name"] == l["prdNm"], "product name %r vs %r" % (r["product_name"], l["prdNm"]))
    obtest.check(r["option_name"] == l["optNm"], "option %r vs %r" % (r["option_name"], l["optNm"]))
    obtest.check(r["buyer_name"] == l["ordNm"], "buyer %r vs %r" % (r["buyer_name"], l["ordNm"]))
    if l["status"] in ("202",) and "pendingAddress" not in l:
        obtest.check(r["address1"] == l["receiver"]["addr1"] and r["address2"] == l["receiver"]["addr2"].strip(),
                     "address %r vs %r" % ((r["address1"], r["address2"]), l["receiver"]))
    if l["memo"] == "":
        nulls += 1
        obtest.check(r["delivery_note"] == "", "literal null is an empty cell " + what)
    elif l["memo"].strip() and "\n" not in l["memo"]:
        obtest.check(r["delivery_note"].lstrip("\x27") == l["memo"].strip(), "memo %r vs %r" % (r["delivery_note"], l["memo"]))
    hangul += any("\uac00" <= ch <= "\ud7a3" for ch in r["product_name"] + r["address1"])
    obtest.check(r["market_status"] in ("202", "301", "701", "401", "501", "901", "B01"), "status " + r["market_status"])
    if r["market_status"] == "401":
        obtest.check(r["invoice_no"] == l["invoice"] and r["courier"] != "", "shipping rows are filled in: " + str(r))
obtest.check(hangul > 50 and nulls > 0, "Hangul rows %d, null memos %d" % (hangul, nulls))
' "$TMP" "$ELEVENST_URL"

# --- maintenance and a wrong key ---
py 'import sys, obtest; obtest.post(sys.argv[1], "/_sandbox/11st/maintenance?on=1")' "$ELEVENST_URL"
ob export --market 11st --from "$TODAY" --to "$TODAY" -o "$TMP/m.csv" 2>"$TMP/m.err"
expect_rc 4 "export during maintenance"
grep -q "11st is in maintenance (Friday early morning); try later" "$TMP/m.err" || fail "maintenance message: $(cat "$TMP/m.err")"
py 'import sys, obtest; obtest.post(sys.argv[1], "/_sandbox/11st/maintenance?on=0")' "$ELEVENST_URL"
sed 's|^api_key = .*|api_key = 00000000000000000000000000000000|' "$CFG" >"$TMP/bad.ini"
chmod 600 "$TMP/bad.ini"
set +e
"$OB" --config "$TMP/bad.ini" export --market 11st --from "$TODAY" --to "$TODAY" -o "$TMP/k.csv" 2>"$TMP/k.err"
RC=$?
set -e
expect_rc 2 "export with a wrong key"
grep -q "api_key" "$TMP/k.err" || fail "wrong-key message: $(cat "$TMP/k.err")"
if grep -q "00000000000000000000000000000000" "$TMP/k.err"; then fail "the key is in the error message"; fi
echo "1 passed, 0 failed"
