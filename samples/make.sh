#!/usr/bin/env bash
# Regenerates the sample sheets of samples/ with the built binary against the
# built-in sandbox (every name, phone and address in them is generated, fake
# data). Run from anywhere: samples/make.sh   (OB=path/to/orderbridge to pick
# another binary). Needs python3; the picture of a sheet also needs LibreOffice
# (soffice) and pdftoppm (poppler-utils) and is skipped without them.
set -euo pipefail
cd "$(dirname "$0")"
OB=${OB:-$PWD/../build/orderbridge}
W=$(mktemp -d "${TMPDIR:-/tmp}/ob-samples.XXXXXX")
export XDG_DATA_HOME="$W/data" XDG_CONFIG_HOME="$W/config"
"$OB" sandbox --port 0 --write-config "$W/sandbox.ini" --today 2026-11-20 --seed 1 \
	--orders 40 --days 10 >"$W/sandbox.log" 2>&1 &
SANDBOX=$!
trap 'kill $SANDBOX 2>/dev/null; wait $SANDBOX 2>/dev/null; rm -rf "$W"' EXIT
for _ in $(seq 1 100); do [ -s "$W/sandbox.ini" ] && break; sleep 0.1; done
ob() { "$OB" --config "$W/sandbox.ini" "$@"; }
# Messages name the temporary directory; the samples show just the file names.
strip() { sed -e "s|$W/||g" -e "s|$PWD/||g"; }

# 1. The morning export: one day (KST) of every market.
ob export --from 2026-11-19 --to 2026-11-19 -o export.csv --force 2>&1 | strip >export.log

# 2. The seller's edits: actions in English or Korean, couriers, invoices, reasons.
python3 - <<'PY'
import csv, datetime

# DELAY wants a date from today on (the machine's clock, KST).
kst = datetime.timezone(datetime.timedelta(hours=9))
later = (datetime.datetime.now(kst).date() + datetime.timedelta(days=4)).isoformat()

def edit(src, dst, marks):
    with open(src, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
        names = list(rows[0].keys())
    for r in rows:
        for key, values in marks.items():
            if r[key[0]] == key[1]:
                r.update(values)
    with open(dst, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, fieldnames=names, lineterminator="\r\n")
        w.writeheader()
        w.writerows(rows)

edit("export.orders.csv", "edited.orders.csv", {
    # Coupang acknowledges per box: every line of the box says ACK.
    ("bundle_no", "642539091090401681"): {"action": "ACK"},
    ("order_no", "22000009565406"): {"action": "발주확인"},
    # Out of stock: the seller cancels (판매취소) with a reason.
    ("order_no", "22000009565910"): {"action": "CANCEL", "reason": "품절"},
    ("order_no", "20261119044349019"): {"action": "발주확인"},
    ("order_no", "20261119044350070"): {"action": "DELAY", "delay_until": later,
                                        "reason": "입고 지연으로 발송이 늦어집니다"},
    ("order_no", "20261119044349245"): {"action": "SHIP", "courier": "CJ대한통운",
                                        "invoice_no": "651234567895"},
    # A line with an open cancel request: import refuses to ship it.
    ("line_no", "2026111840760971"): {"action": "발송", "courier": "롯데택배",
                                      "invoice_no": "309876543210"},
    ("line_no", "2026111940761003"): {"action": "ACK"},
    ("bundle_no", "2026111970133101"): {"action": "SHIP", "courier": "한진택배",
                                        "invoice_no": "512345678901"},
})
edit("export.claims.csv", "edited.claims.csv", {
    ("claim_id", "2026111920576566"): {"action": "승인"},
    # 11st approves an exchange together with the re-shipment's invoice.
    ("claim_id", "2400343"): {"action": "RESHIP", "courier": "CJ대한통운",
                              "invoice_no": "651234567906"},
})
PY

# 3. The dry run (the plan), then the real run against the sandbox.
ob import edited.orders.csv edited.claims.csv 2>&1 | strip >edited.plan.txt || true
ob import edited.orders.csv edited.claims.csv --apply --force 2>&1 | strip >edited.apply.txt || true

# 4. A courier booking file for the boxes now 상품준비중, and CJ's answer to it.
ob export --template cj-booking --from 2026-11-19 --to 2026-11-19 -o cj-booking.csv --force \
	2>&1 | strip >cj-booking.log
python3 - <<'PY'
import csv
with open("cj-booking.csv", encoding="cp949", newline="") as f:
    rows = list(csv.DictReader(f))
# CNPlus' result: a title row, then one row per booked box with its invoice;
# the 고객주문번호 column gives back the line key the booking file carried.
with open("cj-result.csv", "w", encoding="utf-8-sig", newline="") as f:
    w = csv.writer(f, lineterminator="\r\n")
    w.writerow(["CJ대한통운 운송장 출력 결과", "", "", "", ""])
    w.writerow(["운송장번호", "받는분성명", "받는분전화번호", "고객주문번호", "품목명"])
    for i, r in enumerate(rows):
        w.writerow([str(651234568000 + 11 * i), r["받는분성명"], r["받는분전화번호"],
                    r["고객주문번호"], r["품목명"]])
PY
ob import cj-result.csv --template cj-result 2>&1 | strip >cj-result.plan.txt || true

# 5. A picture of the result sheet as LibreOffice shows it (a few columns).
if command -v soffice >/dev/null && command -v pdftoppm >/dev/null; then
	python3 - "$W/view.fods" <<'PY'
import csv, sys
from xml.sax.saxutils import escape
cols = ["action", "result", "message", "market", "order_no", "line_no", "status", "qty",
        "receiver_name", "courier", "invoice_no", "delay_until"]
widths = [15, 16, 62, 19, 33, 33, 20, 8, 16, 19, 24, 20]  # mm
with open("edited.orders.result.csv", encoding="utf-8-sig", newline="") as f:
    rows = [[r[c] for c in cols] for r in csv.DictReader(f)]
def cell(v, style):
    if len(v) > 40:
        v = v[:39] + "…"
    return ('<table:table-cell table:style-name="%s" office:value-type="string"><text:p>%s</text:p>'
            '</table:table-cell>' % (style, escape(v)))
body = "".join("<table:table-row>%s</table:table-row>" % "".join(cell(v, "h" if i == 0 else "c") for v in row)
               for i, row in enumerate([cols] + rows))
columns = "".join('<table:table-column table:style-name="w%d"/>' % w for w in widths)
colstyles = "".join('<style:style style:name="w%d" style:family="table-column"><style:table-column-properties '
                    'style:column-width="%dmm"/></style:style>' % (w, w) for w in sorted(set(widths)))
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:automatic-styles>%s
 <style:page-layout style:name="pl"><style:page-layout-properties fo:page-width="297mm" fo:page-height="%dmm"
  style:print-orientation="landscape" fo:margin="5mm" style:scale-to-X="1" style:scale-to-Y="1"/></style:page-layout>
 <style:style style:name="h" style:family="table-cell"><style:table-cell-properties fo:background-color="#dde8f4"
  fo:border="0.2pt solid #999999"/><style:text-properties fo:font-weight="bold" style:font-name="NanumGothic"
  style:font-name-asian="NanumGothic" fo:font-size="9pt" style:font-size-asian="9pt"/></style:style>
 <style:style style:name="c" style:family="table-cell"><style:table-cell-properties fo:border="0.2pt solid #999999"/>
  <style:text-properties style:font-name="NanumGothic" style:font-name-asian="NanumGothic" fo:font-size="9pt"
  style:font-size-asian="9pt"/></style:style>
</office:automatic-styles>
<office:master-styles><style:master-page style:name="Default" style:page-layout-name="pl">
 <style:header style:display="false"/><style:footer style:display="false"/></style:master-page></office:master-styles>
<office:body><office:spreadsheet><table:table table:name="orders">%s%s</table:table></office:spreadsheet></office:body>
</office:document>
""" % (colstyles, 20 + 4.6 * len(rows), columns, body))
PY
	soffice --headless --norestore "-env:UserInstallation=file://$W/lo" \
		--convert-to pdf --outdir "$W" "$W/view.fods" >/dev/null 2>&1
	pdftoppm -png -r 90 -singlefile "$W/view.pdf" "$W/view"
	cp "$W/view.png" edited.orders.result.png
fi
ls -l
