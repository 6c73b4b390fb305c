#!/usr/bin/env bash
# The main job against the built-in sandbox (no credentials, no network):
# installs what is needed, builds, starts the sandbox, exports this week's
# orders and claims of every market, shows the first rows, and plans an import
# of an edited sheet (a dry run: nothing is sent).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
scripts/build.sh >/dev/null
OB=$PWD/build/orderbridge
DEMO=$(mktemp -d "${TMPDIR:-/tmp}/orderbridge-demo.XXXXXX")
export XDG_DATA_HOME="$DEMO/data"
"$OB" sandbox --port 0 --write-config "$DEMO/config.ini" --orders 60 --days 7 >"$DEMO/sandbox.log" 2>&1 &
SANDBOX=$!
trap 'kill $SANDBOX 2>/dev/null; wait $SANDBOX 2>/dev/null; echo; echo "files kept in $DEMO"' EXIT
for _ in $(seq 1 100); do [ -s "$DEMO/config.ini" ] && break; sleep 0.1; done
cat "$DEMO/sandbox.log"

FROM=$(TZ=Asia/Seoul date -d '6 days ago' +%F)
echo
echo "\$ orderbridge --config $DEMO/config.ini export --from $FROM -o $DEMO/today.csv"
"$OB" --config "$DEMO/config.ini" export --from "$FROM" -o "$DEMO/today.csv"
python3 - "$DEMO/today.orders.csv" "$DEMO/today.claims.csv" <<'PY'
import csv, sys
for path in sys.argv[1:]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    print(f"\n{path}: {len(rows)} rows; the first ones:")
    cols = ["market", "order_no", "line_no", "status", "product_name", "qty",
            "cancel_qty", "receiver_name", "zip"] if "orders" in path else \
           ["market", "claim_id", "claim_type", "claim_status", "order_no", "qty",
            "claim_qty", "confirmed_by", "reason"]
    print("  " + " | ".join(cols))
    for r in rows[:5]:
        print("  " + " | ".join((r.get(c) or "")[:24].replace("\n", " ") for c in cols))
# The seller marks two paid rows of each market ACK (발주확인): the edited sheet.
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    rows = list(csv.DictReader(f))
    names = list(rows[0].keys()) if rows else []
marked = {}
# (a bundle with a refund in progress cannot be acknowledged: leave those out)
held = {(r["market"], r["bundle_no"]) for r in rows if r["cancel_qty"] not in ("", "0")}
for r in rows:
    if r["status"] == "PAID" and (r["market"], r["bundle_no"]) not in held and marked.get(r["market"], 0) < 2:
        r["action"] = "발주확인"
        marked[r["market"]] = marked.get(r["market"], 0) + 1
out = sys.argv[1].replace(".orders.csv", ".edited.csv")
with open(out, "w", encoding="utf-8-sig", newline="") as f:
    w = csv.DictWriter(f, fieldnames=names, lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
PY
echo
echo "\$ orderbridge --config $DEMO/config.ini import $DEMO/today.edited.csv   (dry run: the plan)"
"$OB" --config "$DEMO/config.ini" import "$DEMO/today.edited.csv"
echo
echo "\$ orderbridge --config $DEMO/config.ini import $DEMO/today.edited.csv --apply"
"$OB" --config "$DEMO/config.ini" import "$DEMO/today.edited.csv" --apply || true
python3 - "$DEMO/today.edited.result.csv" <<'PY'
import csv, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    done = [r for r in csv.DictReader(f) if r["action"]]
print(f"\n{sys.argv[1]}: the rows with an action")
for r in done:
    print(f"  {r['market']:10} {r['order_no']:18} {r['action']:8} {r['result']:8} {r['message'][:70]}")
PY
