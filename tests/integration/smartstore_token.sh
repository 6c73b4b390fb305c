#!/usr/bin/env bash
# SmartStore tokens that expire in the middle of an export are renewed without
# the user doing anything: once when every token dies at a chosen request
# (the client sees 401 GW.AUTHN, gets a new token and repeats the call), and
# once with tokens that live 2 seconds while the export takes longer. Either
# way every product order comes out exactly once.
source "$(dirname "$0")/lib.bash"

TODAY=$(TZ=Asia/Seoul date +%F)
FROM=$(TZ=Asia/Seoul date -d "$TODAY -3 day" +%F)

verify() { # verify NAME: the export in $TMP/NAME.orders.csv against the sandbox
	py '
import sys, collections
from obtest import *
url, path, name = sys.argv[1], sys.argv[2], sys.argv[3]
st = state(url)
ids = [r["line_no"] for r in read_sheet(path)]
want = set(p["productOrderId"] for p in st["smartstore"]["productOrders"])
check(len(ids) == len(set(ids)) and set(ids) == want, "%s: %d rows, %d distinct, sandbox %d" %
      (name, len(ids), len(set(ids)), len(want)))
reqs = st["requests"]
tokens = [r for r in reqs if r["endpoint"] == "POST oauth2/token"]
refused = [r for r in reqs if r["status"] == 401]
print("%s: %d requests, %d tokens, %d refused (401)" % (name, len(reqs), len(tokens), len(refused)))
if name == "expire":
    # Calls in flight on other threads may each meet the dead token; every
    # one is repeated, but only one new token is fetched for all of them.
    check(refused, "no call met the expired token")
    i = reqs.index(refused[0])
    later = reqs[i + 1:]
    check(any(r["endpoint"] == "POST oauth2/token" and r["status"] == 200 for r in later),
          "no new token after the 401")
    for r in refused:
        again = [x for x in reqs[reqs.index(r) + 1:] if x["endpoint"] == r["endpoint"] and
                 x["query"] == r["query"] and x["status"] == 200]
        check(again, "the refused call %s %s was not repeated" % (r["endpoint"], r["query"]))
    check(len(tokens) == 2, "expected 2 token requests (one renewal), got %d" % len(tokens))
else:
    check(len(tokens) >= 2, "tokens of 2 s over a longer export were not renewed (%d token requests)" % len(tokens))
check(all(r["status"] in (200, 401, 429) for r in reqs), "unexpected statuses: %s" %
      collections.Counter(r["status"] for r in reqs))
' "$SMARTSTORE_URL" "$TMP/$1.orders.csv" "$1"
}

# Every token dies at the 6th API request from now.
start_sandbox --orders 1500 --days 3 --today "$TODAY" --seed 3
py 'import sys; from obtest import post; post(sys.argv[1], "/_sandbox/smartstore/expire-tokens?after=6")' "$SMARTSTORE_URL"
ob export --market smartstore --from "$FROM" --to "$TODAY" --status all -o "$TMP/expire.csv"
expect_rc 0 "export with tokens expiring mid-way"
verify expire
stop_sandbox

# Tokens live 2 s; the answers are slow enough that the export takes longer.
start_sandbox --orders 1500 --days 3 --today "$TODAY" --seed 3 --token-ttl 2 --latency 150
ob export --market smartstore --from "$FROM" --to "$TODAY" --status all -o "$TMP/ttl.csv"
expect_rc 0 "export with 2-second tokens"
verify ttl
echo "smartstore_token: ok"
