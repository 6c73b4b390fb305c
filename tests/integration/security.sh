#!/usr/bin/env bash
# Security checks through the real binary: the config is refused when others
# can read it; no secret, signature or token reaches -v output, errors, result
# files or the store; TLS certificates are verified (a self-signed server is
# refused); every file with buyers' data is created mode 0600.
source "$(dirname "$0")/lib.bash"

start_sandbox --days 10 --orders 120 --seed 3

# 1. A config others can read is refused, and the message says how to fix it.
cp "$CFG" "$TMP/open.ini"
chmod 644 "$TMP/open.ini"
set +e
"$OB" --config "$TMP/open.ini" export -o "$TMP/x.csv" 2>"$TMP/open.err"
rc=$?
set -e
[ $rc -eq 2 ] || fail "a group/world-readable config: exit $rc, want 2"
grep -q "chmod 600" "$TMP/open.err" || fail "the message does not say chmod 600"

# 2. Secrets: every secret of the config, plus what carries them on the wire.
mapfile -t SECRETS < <(sed -n 's/^\(access_key\|secret_key\|api_key\|client_secret\) *= *//p' "$CFG")
[ "${#SECRETS[@]}" -ge 2 ] || fail "the sandbox config has no secrets to look for"
FROM=$(TZ=Asia/Seoul date -d '9 days ago' +%F)
ob -v -v export --from "$FROM" --status all -o "$TMP/all.csv" >"$TMP/out.log" 2>&1
expect_rc 0 "verbose export"
py '
import sys, obtest
rows = obtest.read_sheet(sys.argv[1] + "/all.orders.csv")
fields = list(rows[0].keys())
n = 0
for r in rows:
    if r["status"] == "PAID" and n < 10:
        r["action"] = "ACK"; n += 1
obtest.write_sheet(sys.argv[1] + "/edit.csv", rows, fields)
' "$TMP"
ob -v -v import "$TMP/edit.csv" --apply >>"$TMP/out.log" 2>&1
# A wrong secret: the error names the account, never a key.
sed 's/^secret_key *=.*/secret_key = 0000000000aaaaaaaaaa1111111111bbbbbbbbbb/' "$CFG" >"$TMP/bad.ini"
chmod 600 "$TMP/bad.ini"
"$OB" -v --config "$TMP/bad.ini" export --market coupang -o "$TMP/bad.csv" >>"$TMP/out.log" 2>&1 || true
SECRETS+=("0000000000aaaaaaaaaa1111111111bbbbbbbbbb")
grep -q "coupang.sandbox" "$TMP/out.log" || fail "the -v log names no account (is -v working?)"
check_files=("$TMP/out.log" "$TMP"/*.csv "$XDG_DATA_HOME/orderbridge/store.db")
for s in "${SECRETS[@]}"; do
	for f in "${check_files[@]}"; do
		[ -f "$f" ] || continue
		if grep -qaF -- "$s" "$f"; then
			fail "a secret (${#s} characters) appears in $(basename "$f")"
		fi
	done
done
for pattern in "CEA algorithm" "signature=" "Bearer " "client_secret_sign=" "openapikey:"; do
	if grep -qaiF -- "$pattern" "$TMP/out.log"; then
		grep -aiF -- "$pattern" "$TMP/out.log" | head -3 >&2
		fail "'$pattern' appears in the -v output"
	fi
done

# 3. Files with buyers' data are private.
for f in "$TMP/all.orders.csv" "$TMP/all.claims.csv" "$TMP/edit.result.csv" "$XDG_DATA_HOME/orderbridge/store.db"; do
	[ "$(stat -c %a "$f")" = 600 ] || fail "$(basename "$f") is mode $(stat -c %a "$f"), want 600"
done
ob export --market coupang --from "$FROM" --status all -o "$TMP/book.xlsx" 2>/dev/null
expect_rc 0 "xlsx export"
[ "$(stat -c %a "$TMP/book.xlsx")" = 600 ] || fail "the workbook is not mode 0600"

# 4. TLS: a server with a self-signed certificate is refused (verification is
# always on; there is no switch to turn it off).
if command -v openssl >/dev/null; then
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/key.pem" -out "$TMP/cert.pem" -days 1 \
		-subj "/CN=127.0.0.1" >/dev/null 2>&1
	PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	openssl s_server -accept "127.0.0.1:$PORT" -cert "$TMP/cert.pem" -key "$TMP/key.pem" -www -quiet \
		>/dev/null 2>&1 &
	TLS_PID=$!
	for _ in $(seq 1 50); do
		python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$PORT),0.2)" 2>/dev/null && break
		sleep 0.1
	done
	sed "s#^base_url *= *http://127.0.0.1:[0-9]*\$#base_url = https://127.0.0.1:$PORT#" "$CFG" |
		awk 'BEGIN{keep=1} /^\[/{keep=($0 ~ /^\[coupang\./)} keep' >"$TMP/tls.ini"
	chmod 600 "$TMP/tls.ini"
	set +e
	"$OB" --config "$TMP/tls.ini" export --market coupang -o "$TMP/tls.csv" 2>"$TMP/tls.err"
	rc=$?
	set -e
	kill "$TLS_PID" 2>/dev/null || true
	wait "$TLS_PID" 2>/dev/null || true
	[ $rc -eq 4 ] || { cat "$TMP/tls.err"; fail "a self-signed server: exit $rc, want 4"; }
	grep -qi "certificate" "$TMP/tls.err" || { cat "$TMP/tls.err"; fail "the error does not mention the certificate"; }
else
	echo "SKIP: openssl is not installed; the TLS check did not run"
fi
echo ok
