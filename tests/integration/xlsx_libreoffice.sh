# Round trip through a real spreadsheet program: a workbook from our writer
# (orders and claims with 16-18 digit ids, leading-zero zip codes and phones,
# formula-like text, Hangul, emoji) is converted by LibreOffice to CSV, where
# every identifier must still be its exact digits, and to XLSX, which our
# reader must read as the same values. LibreOffice stores a line break in a
# cell as LF, so CR LF in the original compares equal to LF; nothing else may
# differ. Skipped (exit 0) when LibreOffice is missing and cannot be installed.
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"

# The writer and reader helper is the unit test binary in its helper mode.
HELPER=${OB_XLSX_HELPER:-$(dirname "$OB")/tests/test_xlsx}
[ -x "$HELPER" ] || fail "no helper at $HELPER (build the tests, or set OB_XLSX_HELPER)"

find_soffice() {
	SOFFICE=$(command -v soffice || command -v libreoffice || true)
}
find_soffice
if [ -z "$SOFFICE" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "SKIP: LibreOffice (soffice) is not installed; as root this test installs" \
			"libreoffice-calc-nogui, or install it yourself"
		exit 0
	fi
	echo "installing libreoffice-calc-nogui for this test..." >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y --no-install-recommends libreoffice-calc-nogui >"$TMP/apt.log" 2>&1 ||
		{ apt-get update >>"$TMP/apt.log" 2>&1 &&
			apt-get install -y --no-install-recommends libreoffice-calc-nogui >>"$TMP/apt.log" 2>&1; } ||
		true
	find_soffice
	if [ -z "$SOFFICE" ]; then
		tail -5 "$TMP/apt.log" >&2
		echo "SKIP: LibreOffice is missing and could not be installed (see above)"
		exit 0
	fi
fi

# A private profile: no clash with a running LibreOffice or another test.
lo() {
	timeout 300 "$SOFFICE" --headless --norestore "-env:UserInstallation=file://$TMP/lo-profile" "$@" \
		>>"$TMP/lo.log" 2>&1 || { cat "$TMP/lo.log" >&2; fail "LibreOffice failed: $*"; }
}

mkdir -p "$TMP/csv" "$TMP/lo"
"$HELPER" --write "$TMP/ours.xlsx" || fail "the helper could not write the workbook"
for s in orders claims; do
	"$HELPER" --dump "$TMP/ours.xlsx" "$s" >"$TMP/ours-$s.tsv" || fail "cannot read our own $s"
done

# CSV (UTF-8, every sheet to its own file: ours-orders.csv, ours-claims.csv).
lo --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1' \
	--outdir "$TMP/csv" "$TMP/ours.xlsx"
# XLSX written by LibreOffice (shared strings, its own styles and layout).
lo --convert-to xlsx --outdir "$TMP/lo" "$TMP/ours.xlsx"
[ -s "$TMP/lo/ours.xlsx" ] || fail "LibreOffice wrote no XLSX"
for s in orders claims; do
	[ -s "$TMP/csv/ours-$s.csv" ] || fail "LibreOffice wrote no CSV for $s"
	"$HELPER" --dump "$TMP/lo/ours.xlsx" "$s" >"$TMP/lo-$s.tsv" ||
		fail "our reader cannot read LibreOffice's $s"
done

py '
import csv, sys
tmp = sys.argv[1]
ids = {"order_no", "line_no", "bundle_no", "product_id", "option_id", "buyer_phone",
       "receiver_phone", "zip", "invoice_no", "claim_id"}

def table(path):
    lines = open(path, encoding="utf-8").read().rstrip("\n").split("\n")
    keys = lines[0].split("\t")
    return keys, [dict(zip(keys, l.split("\t"))) for l in lines[1:]]

problems = []
for sheet in ("orders", "claims"):
    keys, ours = table(f"{tmp}/ours-{sheet}.tsv")
    _, theirs = table(f"{tmp}/lo-{sheet}.tsv")
    if len(ours) != len(theirs):
        problems.append(f"{sheet}: {len(ours)} rows, LibreOffice xlsx has {len(theirs)}")
    long_ids = 0
    for i, (a, b) in enumerate(zip(ours, theirs)):
        for k in keys:
            x, y = a[k], b[k]
            if k != "issues":
                x = x.replace("\\r\\n", "\\n")
            if x != y:
                problems.append(f"{sheet} row {i + 2} {k}: ours {a[k]!r}, via LibreOffice xlsx {b[k]!r}")
        issues = a["issues"]
        if issues:
            problems.append(f"{sheet} row {i + 2}: our own file has issues: {issues}")
    with open(f"{tmp}/csv/ours-{sheet}.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    if len(rows) != len(ours):
        problems.append(f"{sheet}: {len(ours)} rows, LibreOffice csv has {len(rows)}")
    for i, (a, c) in enumerate(zip(ours, rows)):
        for k in ids & set(keys):
            if c.get(k, "") != a[k]:
                problems.append(f"{sheet} row {i + 2} {k}: ours {a[k]!r}, LibreOffice csv {c.get(k)!r}")
            if len(a[k]) >= 16 and a[k].isdigit():
                long_ids += 1
    if long_ids < len(ours):
        problems.append(f"{sheet}: only {long_ids} ids of 16-18 digits were checked")
    print(f"{sheet}: {len(ours)} rows, {long_ids} ids of 16-18 digits intact in CSV; "
          f"LibreOffice xlsx reads the same")
if problems:
    print("\n".join(problems[:40]), file=sys.stderr)
    sys.exit(1)
' "$TMP" || fail "values changed on the way through LibreOffice"
echo "ok"
