# Shared helpers of the integration tests (sourced, not run): a temporary
# directory, a sandbox on free loopback ports, and assertions.
# Every test runs the real binary ($OB) against the real sandbox over HTTP.
set -euo pipefail

: "${OB:?OB must name the orderbridge binary}"
: "${OB_TEST_DATA:?}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/obit.XXXXXX")
export XDG_DATA_HOME="$TMP/data" XDG_CONFIG_HOME="$TMP/config"
SANDBOX_PID=""

cleanup() {
	if [ -n "$SANDBOX_PID" ]; then
		kill "$SANDBOX_PID" 2>/dev/null || true
		wait "$SANDBOX_PID" 2>/dev/null || true
	fi
	if [ -n "${KEEP_TMP:-}" ]; then
		echo "kept $TMP" >&2
	else
		rm -rf "$TMP"
	fi
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# start_sandbox ARGS...: starts `orderbridge sandbox --port 0` with ARGS, waits
# for its config file ($CFG) and sets the *_URL variables from its output.
start_sandbox() {
	CFG="$TMP/sandbox.ini"
	rm -f "$CFG"
	"$OB" sandbox --port 0 --write-config "$CFG" "$@" >"$TMP/sandbox.out" 2>"$TMP/sandbox.err" &
	SANDBOX_PID=$!
	for _ in $(seq 1 200); do
		[ -s "$CFG" ] && break
		if ! kill -0 "$SANDBOX_PID" 2>/dev/null; then
			cat "$TMP/sandbox.err" >&2
			fail "the sandbox exited before it was ready"
		fi
		sleep 0.05
	done
	[ -s "$CFG" ] || fail "the sandbox did not write $CFG"
	COUPANG_URL=$(sed -n 's/^coupang listening on //p' "$TMP/sandbox.out" | head -1)
	ELEVENST_URL=$(sed -n 's/^11st listening on //p' "$TMP/sandbox.out" | head -1)
	SMARTSTORE_URL=$(sed -n 's/^smartstore listening on //p' "$TMP/sandbox.out" | head -1)
	export CFG COUPANG_URL ELEVENST_URL SMARTSTORE_URL
}

stop_sandbox() {
	if [ -n "$SANDBOX_PID" ]; then
		kill "$SANDBOX_PID" 2>/dev/null || true
		wait "$SANDBOX_PID" 2>/dev/null || true
		SANDBOX_PID=""
	fi
}

# ob ARGS...: runs orderbridge with the sandbox config; sets RC.
ob() {
	set +e
	"$OB" --config "$CFG" "$@"
	RC=$?
	set -e
}

expect_rc() {
	[ "$RC" -eq "$1" ] || fail "expected exit code $1, got $RC ($2)"
}

# py CODE ARGS...: python3 with the test helpers importable.
py() {
	local code=$1
	shift
	PYTHONPATH="$(dirname "${BASH_SOURCE[0]}")" python3 -c "$code" "$@"
}
