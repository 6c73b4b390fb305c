#!/usr/bin/env bash
# Fault soak: ACK and SHIP actions across the three markets imported with
# --apply through a sandbox that fails 500, 429, resets and times out; the
# import is run again until every row is done. Then, per market, every action
# is in the sandbox state and the writes that reached the market carry each
# line exactly once. Short by default (CI); SOAK_ACTIONS=5000 for the long run.
source "$(dirname "$0")/lib.bash"

ACTIONS=${SOAK_ACTIONS:-240}
ORDERS=$(( ACTIONS / 2 + 150 ))
FROM=$(TZ=Asia/Seoul date -d '19 days ago' +%F)
TODAY=$(TZ=Asia/Seoul date +%F)
# 11st's generated days lean to delivered orders: a burst of paid ones today.
start_sandbox --days 20 --orders "$ORDERS" --seed 99 --rate 50 --burst "11st:$TODAY:$(( ACTIONS / 3 ))" \
	--fault 500:10%,429:10%,reset:3%,timeout:2% --fault-delay 2500
# Short request timeouts, so a held request costs seconds, not minutes.
sed -i 's/^\(base_url *=.*\)$/\1\ntimeout = 1.5\nrate = 20/' "$CFG"

for try in 1 2 3; do
	ob export --from "$FROM" --status all -o "$TMP/s.csv" 2>"$TMP/export.err"
	[ "$RC" -eq 0 ] && break
done
[ "$RC" -eq 0 ] || { cat "$TMP/export.err"; fail "export under faults: exit $RC"; }

py '
import sys, obactions
counts = obactions.pick(sys.argv[1] + "/s", sys.argv[1] + "/soak.csv", int(sys.argv[2]) // 3)
print("actions per market:", dict(counts))
import obtest
obtest.check(all(counts[m] >= int(sys.argv[2]) // 6 for m in ("coupang", "11st", "smartstore")), "too few actions: %r" % counts)
' "$TMP" "$ACTIONS"

for run in $(seq 1 8); do
	ob import "$TMP/soak.csv" --apply --force >"$TMP/import.$run.out" 2>&1
	[ "$RC" -eq 0 ] && break
done
[ "$RC" -eq 0 ] || { tail -20 "$TMP/import.$run.out"; fail "the import did not finish in $run runs"; }
echo "import finished in $run runs"

py '
import sys, obactions
faults = obactions.verify(sys.argv[1] + "/soak.result.csv", {"coupang": sys.argv[2], "11st": sys.argv[3], "smartstore": sys.argv[4]})
print("faults met:", dict(faults))
' "$TMP" "$COUPANG_URL" "$ELEVENST_URL" "$SMARTSTORE_URL"
echo ok
