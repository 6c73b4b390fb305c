#!/usr/bin/env bash
# Crash and resume: `import --apply` over the three markets killed with SIGKILL
# at seeded random points, then run again until done; after every trial each
# action is in the sandbox state and reached its market exactly once.
# CRASH_TRIALS (default 3; 20 for the long run), CRASH_SEED (default 1).
source "$(dirname "$0")/lib.bash"

TRIALS=${CRASH_TRIALS:-3}
RANDOM=${CRASH_SEED:-1}
FROM=$(TZ=Asia/Seoul date -d '19 days ago' +%F)
TODAY=$(TZ=Asia/Seoul date +%F)
for trial in $(seq 1 "$TRIALS"); do
	# Each trial is a new world: a new sandbox and a new store.
	export XDG_DATA_HOME="$TMP/data.$trial"
	start_sandbox --days 20 --orders 200 --seed "$trial" --rate 50 --latency 60 --burst "11st:$TODAY:40"
	sed -i 's/^\(base_url *=.*\)$/\1\nrate = 20/' "$CFG"
	ob export --from "$FROM" --status all -o "$TMP/t$trial.csv" 2>/dev/null
	expect_rc 0 "export, trial $trial"
	py 'import sys, obactions; print(dict(obactions.pick(sys.argv[1], sys.argv[2], 30)))' "$TMP/t$trial" "$TMP/a$trial.csv" >/dev/null
	# A kill point between 0.2 s and about 4 s into the run (the run takes longer).
	# (RANDOM read here, not in a $(...) subshell, so the seed decides.)
	secs=$(( RANDOM % 4 ))
	hundredths=$(( RANDOM % 100 ))
	delay=$(printf '%d.%02d' "$secs" "$hundredths")
	[ "$delay" = "0.00" ] && delay=0.2
	"$OB" --config "$CFG" import "$TMP/a$trial.csv" --apply --force >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	for run in 1 2 3; do
		ob import "$TMP/a$trial.csv" --apply --force >"$TMP/r$trial.out" 2>&1
		[ "$RC" -eq 0 ] && break
	done
	[ "$RC" -eq 0 ] || { tail -20 "$TMP/r$trial.out"; fail "trial $trial (killed after ${delay}s): the re-run did not finish"; }
	py 'import sys, obactions; obactions.verify(sys.argv[1], {"coupang": sys.argv[2], "11st": sys.argv[3], "smartstore": sys.argv[4]})' \
		"$TMP/a$trial.result.csv" "$COUPANG_URL" "$ELEVENST_URL" "$SMARTSTORE_URL" ||
		fail "trial $trial (killed after ${delay}s)"
	echo "trial $trial: killed after ${delay}s, resumed, exactly once"
	stop_sandbox
done
echo ok
