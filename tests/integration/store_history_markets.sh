#!/usr/bin/env bash
# History for 11st and SmartStore, which have no history call of their own:
# a line changes between two exports (status, partial cancel, address) and
# `orderbridge history` shows each change once, in order, from the store.
source "$(dirname "$0")/lib.bash"

FROM=$(TZ=Asia/Seoul date -d '9 days ago' +%F)
TODAY=$(TZ=Asia/Seoul date +%F)
start_sandbox --days 10 --orders 150 --seed 31 --burst "11st:$TODAY:20"
ob export --market 11st,smartstore --from "$FROM" --status all -o "$TMP/one.csv" 2>/dev/null
expect_rc 0 "first export"

# Choose the lines and make the market change them.
py '
import sys, json, obtest, urllib.request, urllib.error
tmp, st_url, ss_url = sys.argv[1:4]
rows = obtest.read_sheet(tmp + "/one.orders.csv")
fields = list(rows[0].keys())
def post(url):
    req = urllib.request.Request(url, data=b"", method="POST")
    try:
        with urllib.request.urlopen(req) as r:
            return json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        obtest.check(False, "%s: %s %s" % (url, e.code, e.read()))
pick = {}
# 11st: a paid line whose address moves (shown from acknowledgement), then acknowledged.
est = [r for r in rows if r["market"] == "11st" and r["market_status"] not in ("701", "601")]
a = [r for r in est if r["status"] == "PAID" and r["cancel_qty"] in ("", "0")][0]
post(st_url + "/_sandbox/11st/address-change?ordNo=" + a["order_no"])
# 11st: a line being prepared with 2+ units: the buyer cancels one, the seller approves.
b = [r for r in est if r["status"] == "PREPARING" and int(r["qty"] or 0) >= 2 and r["cancel_qty"] in ("", "0")
     and r["order_no"] != a["order_no"]][0]
post(st_url + "/_sandbox/11st/cancel-request?ordNo=%s&ordPrdSeq=%s&qty=1" % (b["order_no"], b["line_no"]))
# SmartStore: the buyer moves the address of a paid line; another paid line gets acknowledged;
# a confirmed line with 2+ units: the buyer cancels one, the seller approves.
busy = {(c["order_no"], c["line_no"]) for c in obtest.read_sheet(tmp + "/one.claims.csv")}
ss = [r for r in rows if r["market"] == "smartstore" and (r["order_no"], r["line_no"]) not in busy]
paid = [r for r in ss if r["status"] == "PAID" and r["cancel_qty"] in ("", "0")]
c, d = paid[0], paid[1]
post(ss_url + "/_sandbox/smartstore/address?productOrderId=" + c["line_no"])
e = [r for r in ss if r["status"] == "PREPARING" and int(r["qty"] or 0) >= 2 and r["cancel_qty"] in ("", "0")][0]
post(ss_url + "/_sandbox/smartstore/cancel-request?productOrderId=%s&quantity=1" % e["line_no"])
for r in rows:
    if r is a or (r["market"] == "11st" and r["order_no"] == a["order_no"] and r["status"] == "PAID") or r is d:
        r["action"] = "ACK"
obtest.write_sheet(tmp + "/ack.csv", rows, fields)
json.dump({"est_addr": a, "est_cancel": b, "ss_addr": c, "ss_ack": d, "ss_cancel": e}, open(tmp + "/pick.json", "w"))
' "$TMP" "$ELEVENST_URL" "$SMARTSTORE_URL"

ob import "$TMP/ack.csv" --apply >"$TMP/ack.out" 2>&1
expect_rc 0 "acknowledge"
# The cancel requests show up in a second export; the seller approves them.
ob export --market 11st,smartstore --from "$FROM" --status all -o "$TMP/two.csv" 2>/dev/null
expect_rc 0 "second export"
py '
import sys, json, obtest
tmp = sys.argv[1]
pick = json.load(open(tmp + "/pick.json"))
claims = obtest.read_sheet(tmp + "/two.claims.csv")
fields = list(claims[0].keys())
want = {(pick["est_cancel"]["order_no"], pick["est_cancel"]["line_no"]), (pick["ss_cancel"]["order_no"], pick["ss_cancel"]["line_no"])}
n = 0
for c in claims:
    if (c["order_no"], c["line_no"]) in want and c["claim_type"] == "CANCEL" and c["claim_status"] == "REQUESTED":
        c["action"] = "APPROVE"
        n += 1
obtest.check(n == 2, "the two cancel requests are in the claims sheet (%d found)" % n)
obtest.write_sheet(tmp + "/approve.csv", claims, fields)
' "$TMP"
ob import "$TMP/approve.csv" --apply >"$TMP/approve.out" 2>&1
expect_rc 0 "approve"
ob export --market 11st,smartstore --from "$FROM" --status all -o "$TMP/three.csv" 2>/dev/null
expect_rc 0 "third export"
ob export --market 11st,smartstore --from "$FROM" --status all -o "$TMP/four.csv" 2>/dev/null
expect_rc 0 "fourth export (nothing new)"

py '
import sys, json, subprocess, obtest, os
tmp = sys.argv[1]
pick = json.load(open(tmp + "/pick.json"))
def hist(order):
    out = subprocess.run([os.environ["OB"], "--config", os.environ["CFG"], "history", "--format", "json", "--local", order],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["events"]
def of_line(ev, line):
    return [e for e in ev if e["line"].split(" ")[1:2] == [line]]
for key, what in (("est_addr", ("status", "address")), ("ss_addr", ("address",)), ("ss_ack", ("status",)),
                  ("est_cancel", ("qty",)), ("ss_cancel", ("qty",))):
    r = pick[key]
    ev = of_line(hist(r["order_no"]), r["line_no"])
    obtest.check([e["at"] for e in ev] == sorted(e["at"] for e in ev), "%s: events out of order" % key)
    obtest.check(ev and ev[0]["what"] == "seen", "%s: the first event is not the first sighting: %r" % (key, ev[:1]))
    for w in what:
        got = [e for e in ev if e["what"] == w]
        obtest.check(len(got) == 1, "%s: %d %s events, want exactly 1: %r" % (key, len(got), w, ev))
    if "status" in what:
        s = [e for e in ev if e["what"] == "status"][0]
        obtest.check(s["old"] == "PAID" and s["new"] == "PREPARING", "%s: status %r" % (key, s))
    if "qty" in what:
        q = [e for e in ev if e["what"] == "qty"][0]
        obtest.check(q["new"].split("/")[1] == "1", "%s: cancel_qty 1 not recorded: %r" % (key, q))
    acts = [e for e in ev if e["what"] == "action"]
    obtest.check(key in ("est_cancel", "ss_cancel", "ss_addr") or any("ACK OK" in e["new"] for e in acts),
                 "%s: our acknowledgement is missing from the history: %r" % (key, acts))
' "$TMP"
echo ok
