#!/usr/bin/env bash
# The SmartStore sandbox's gateway contract, spoken to directly (python3
# urllib; the signature from perl's crypt(), not the client's code): token
# issuance with its checks (signature, 5-minute timestamp, type, grant_type),
# 401 GW.AUTHN for missing, unknown and expired tokens with Naver's body, the
# 24-hour feed window (104139), the 300-id query limit, and 429 GW.RATE_LIMIT
# with the GNCP-GW-RateLimit-* headers. Paging by hand through a day of the
# feed gives its events once each, in order.
source "$(dirname "$0")/lib.bash"

start_sandbox --orders 50 --days 2 --rate 5
[ -n "$SMARTSTORE_URL" ] || fail "no smartstore listener"
CLIENT_ID=$(sed -n 's/^client_id = //p' "$CFG")
SECRET=$(sed -n 's/^client_secret = //p' "$CFG")

py '
import base64, json, subprocess, sys, time, urllib.error, urllib.parse, urllib.request
from obtest import check, post, state
url, cid, secret = sys.argv[1], sys.argv[2], sys.argv[3]
base = url + "/external"

def call(method, path, body=None, headers=None, form=None):
    data = None
    h = dict(headers or {})
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        h["Content-Type"] = "application/x-www-form-urlencoded"
    elif body is not None:
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    for _ in range(50):
        req = urllib.request.Request(base + path, data=data, method=method, headers=h)
        try:
            with urllib.request.urlopen(req) as r:
                return r.status, json.loads(r.read() or b"null"), r.headers
        except urllib.error.HTTPError as e:
            if e.code == 429 and not (headers or {}).get("X-Want-429"):
                time.sleep(0.3)
                continue
            return e.code, json.loads(e.read() or b"null"), e.headers
    raise SystemExit("FAIL: still rate limited")

def sign(ts):
    hashed = subprocess.run(["perl", "-e", "print crypt($ARGV[0], $ARGV[1])", cid + "_" + str(ts), secret],
                            capture_output=True, text=True, check=True).stdout
    check(hashed.startswith("$2a$04$") and len(hashed) == 60, "perl crypt gave no bcrypt hash: %r (secret %d chars)" % (hashed, len(secret)))
    return base64.b64encode(hashed.encode()).decode()

def token_form(ts=None, **over):
    ts = ts if ts is not None else int(time.time() * 1000)
    f = {"client_id": cid, "timestamp": str(ts), "grant_type": "client_credentials",
         "client_secret_sign": sign(ts), "type": "SELF"}
    f.update(over)
    return f

st, body, _ = call("POST", "/v1/oauth2/token", form=token_form())
check(st == 200 and body["token_type"] == "Bearer" and 10700 < body["expires_in"] <= 10800, "token: %s %s" % (st, body))
tok = body["access_token"]
auth = {"Authorization": "Bearer " + tok}

st, body, _ = call("POST", "/v1/oauth2/token", form=token_form(client_secret_sign=sign(1)))
check(st == 401 and body["code"] == "GW.AUTHN", "a sign over another timestamp: %s %s" % (st, body))
old = int(time.time() * 1000) - 6 * 60 * 1000
st, body, _ = call("POST", "/v1/oauth2/token", form=token_form(ts=old))
check(st == 400 and "timestamp" in json.dumps(body), "a 6-minute-old timestamp: %s %s" % (st, body))
st, body, _ = call("POST", "/v1/oauth2/token", form=token_form(type="SELLER"))
check(st == 400 and body["invalidInputs"][0]["name"] == "account_id", "SELLER without account_id: %s" % body)
st, body, _ = call("POST", "/v1/oauth2/token", form=token_form(grant_type="password"))
check(st == 400 and body["invalidInputs"][0]["name"] == "grant_type", "grant_type: %s" % body)

feed = "/v1/pay-order/seller/product-orders/last-changed-statuses"
q = "?" + urllib.parse.urlencode({"lastChangedFrom": "2026-01-01T00:00:00.000+09:00",
                                  "lastChangedTo": "2026-01-02T00:00:00.001+09:00"})
st, body, _ = call("GET", feed + q)
check(st == 401 and body["code"] == "GW.AUTHN" and body["message"] == "요청을 보낼 권한이 없습니다."
      and body.get("traceId") and body.get("timestamp"), "no token: %s %s" % (st, body))
st, body, _ = call("GET", feed + q, headers={"Authorization": "Bearer nope"})
check(st == 401 and body["code"] == "GW.AUTHN", "unknown token: %s" % body)
st, body, _ = call("GET", feed + q, headers=auth)
check(st == 400 and body["code"] == "104139", "a window of 24 h + 1 ms: %s %s" % (st, body))
q24 = "?" + urllib.parse.urlencode({"lastChangedFrom": "2026-01-01T00:00:00.000+09:00",
                                    "lastChangedTo": "2026-01-02T00:00:00.000+09:00"})
st, body, hdr = call("GET", feed + q24, headers=auth)
check(st == 200 and "lastChangeStatuses" in body["data"] and hdr.get("GNCP-GW-Trace-ID"), "24 h window: %s" % st)
st, body, _ = call("GET", feed + "?lastChangedFrom=2026-01-01T00:00:00%2B09:00", headers=auth)
check(st == 400, "a time without milliseconds is refused (the format must match exactly): %s" % st)
ids = [str(2026010100000000 + i) for i in range(301)]
st, body, _ = call("POST", "/v1/pay-order/seller/product-orders/query", {"productOrderIds": ids}, auth)
check(st == 400, "301 ids: %s" % st)
st, body, _ = call("POST", "/v1/pay-order/seller/product-orders/confirm", {"productOrderIds": ids[:31]}, auth)
check(st == 400, "31 confirms: %s" % st)

# Paging by hand with 7 items a page walks the events of the window exactly once,
# in order, ties included; the lastChangedType filter keeps one type.
st_feed = state(url)["smartstore"]["feed"]
day0 = st_feed[0]["lastChangedDate"][:10]
frm, to = day0 + "T00:00:00.000+09:00", day0 + "T23:59:59.999+09:00"
want = [(e["lastChangedDate"], e["productOrderId"], e["lastChangedType"]) for e in st_feed
        if e["lastChangedDate"][:10] == day0]
got, params = [], {"lastChangedFrom": frm, "lastChangedTo": to, "limitCount": "7"}
for _ in range(1000):
    st, body, _ = call("GET", feed + "?" + urllib.parse.urlencode(params), headers=auth)
    check(st == 200 and len(body["data"]["lastChangeStatuses"]) <= 7, "page: %s" % st)
    got += [(i["lastChangedDate"], i["productOrderId"], i["lastChangedType"]) for i in body["data"]["lastChangeStatuses"]]
    more = body["data"].get("more")
    if not more:
        break
    params.update(lastChangedFrom=more["moreFrom"], moreSequence=more["moreSequence"])
check(got == want, "paging by hand: %d events, the feed has %d" % (len(got), len(want)))
check(len(want) > 14, "too few events on %s to page" % day0)
st, body, _ = call("GET", feed + "?" + urllib.parse.urlencode({"lastChangedFrom": frm, "lastChangedTo": to,
                                                               "lastChangedType": "PAYED"}), headers=auth)
check(st == 200 and body["data"]["lastChangeStatuses"] and
      all(i["lastChangedType"] == "PAYED" for i in body["data"]["lastChangeStatuses"]), "lastChangedType filter")

# Tokens that live 2 s (the setters): expired ones are refused.
post(url, "/_sandbox/smartstore/expire-tokens")
st, body, _ = call("GET", feed + q24, headers=auth)
check(st == 401 and body["code"] == "GW.AUTHN", "a token expired by the setter: %s %s" % (st, body))
post(url, "/_sandbox/smartstore/token-ttl?seconds=2")
st, body, _ = call("POST", "/v1/oauth2/token", form=token_form())
check(st == 200 and body["expires_in"] <= 2, "a 2-second token: %s" % body)
auth = {"Authorization": "Bearer " + body["access_token"]}
st, body, _ = call("GET", feed + q24, headers=auth)
check(st == 200, "a fresh 2-second token: %s" % st)
time.sleep(2.2)
st, body, _ = call("GET", feed + q24, headers=auth)
check(st == 401 and body["code"] == "GW.AUTHN", "an expired token: %s %s" % (st, body))
post(url, "/_sandbox/smartstore/token-ttl?seconds=10800")

# Above the rate: GW.RATE_LIMIT with the gateway headers.
st, body, _ = call("POST", "/v1/oauth2/token", form=token_form())
auth = {"Authorization": "Bearer " + body["access_token"], "X-Want-429": "1"}
seen = None
for _ in range(30):
    st, body, hdr = call("GET", feed + q24, headers=auth)
    if st == 429:
        seen = (body, hdr)
        break
check(seen is not None, "no 429 above --rate 5")
body, hdr = seen
check(body["code"] == "GW.RATE_LIMIT" and body.get("traceId"), "429 body: %s" % body)
check(hdr.get("GNCP-GW-RateLimit-Replenish-Rate") == "5" and hdr.get("GNCP-GW-RateLimit-Burst-Capacity") == "5"
      and hdr.get("GNCP-GW-RateLimit-Remaining") == "0", "429 headers: %s" % dict(hdr))
print("contract: ok")
' "$SMARTSTORE_URL" "$CLIENT_ID" "$SECRET"
echo "smartstore_contract: ok"
