#!/usr/bin/env python3
"""Export benchmark report: requests sent against the minimum the market
contracts allow, and wall time against the lower bound, from the sandbox
request logs (GET /_sandbox/requests) of each run.

usage: export_report.py PARAMS.json
PARAMS: {"from": "YYYY-MM-DD", "to": "...", "latency_ms": 300,
         "rates": {"coupang": 10, ...}        # the sandbox's (the contract's) rate
         "runs": [{"name": "...", "wall_s": .., "rss_kb": .., "logs": {"coupang": FILE, ...}}]}
Prints a table; the minimum and the bound are defined in bench/RESULTS.md."""
import json, math, re, sys, datetime
from collections import defaultdict
from urllib.parse import parse_qsl

P = json.load(open(sys.argv[1]))
LAT = P["latency_ms"] / 1000.0
D0 = datetime.date.fromisoformat(P["from"])
D1 = datetime.date.fromisoformat(P["to"])
DAYS = (D1 - D0).days + 1


def qkey(query, drop):
    return tuple(sorted((k, v) for k, v in parse_qsl(query) if k not in drop))


def coupang(reqs):
    wins = defaultdict(lambda: [0, 0])  # window -> [pages, rows]
    lookups = set()
    n_lookup = 0
    other = 0
    for r in reqs:
        ep = r["endpoint"]
        if ep in ("GET v5 ordersheets", "GET v6 returnRequests", "GET v4 returnWithdrawRequests",
                  "GET v4 exchangeRequests"):
            k = (ep, qkey(r["query"], {"nextToken", "pageIndex"}))
            wins[k][0] += 1
            wins[k][1] += max(r["rows"], 0)
        elif ep == "GET v5 {orderId}/ordersheets":
            lookups.add(r["path"])
            n_lookup += 1
        else:
            other += 1
    mins = 0
    chain = 0
    nwin = defaultdict(int)
    for (ep, q), (pages, rows) in wins.items():
        # exchanges: the documented page size is the default, 10 (no maximum is known)
        ps = 100 if "Withdraw" in ep else 10 if "exchange" in ep else 50
        mins += max(1, math.ceil(rows / ps))
        chain = max(chain, pages)
        nwin[ep + " " + dict(q).get("status", dict(q).get("cancelType", ""))] += 1
    # The fewest windows the contract allows: 31 days (withdrawals 7).
    canon = {k: math.ceil(DAYS / (7 if "Withdraw" in k or "exchange" in k else 31)) for k in nwin}
    extra = {k: nwin[k] - canon[k] for k in nwin if nwin[k] != canon[k]}
    return {"min": mins + len(lookups), "chain": chain,
            "note": f"{len(wins)} windows (extra vs fewest: {extra or 'none'}), "
                    f"{n_lookup} withdrawal order lookups ({len(lookups)} distinct)"}


def est_time(s):
    return datetime.datetime.strptime(s, "%Y%m%d%H%M")


def elevenst(reqs):
    # Rows per fewest-window (7 days for order lists, 30 for claims) from the
    # answers that were complete (< 3000 rows); a capped answer's rows are
    # counted by the windows that replaced it.
    per = defaultdict(int)
    ids = set()
    n_addr = 0
    truncated = 0
    for r in reqs:
        ep = r["endpoint"]
        m = re.search(r"/(\d{12})/(\d{12})$", r["path"])
        if ep == "GET claimservice/orderlistalladdr":
            n_addr += 1
            ids.update(r["path"].rsplit("/", 1)[1].split(","))
            continue
        if not m:
            continue
        span = 7 if ep.startswith("GET ordservices/") else 30
        start = est_time(m.group(1)).date()
        w = (start - D0).days // span
        if r["rows"] >= 3000:
            truncated += 1
            per.setdefault((ep, w), 0)
        else:
            per[(ep, w)] += r["rows"]
    mins = sum(max(1, math.ceil(n / 2999)) for n in per.values())
    return {"min": mins + math.ceil(len(ids) / 100), "chain": 1,
            "note": f"{len(per)} fewest windows, {truncated} capped answers, "
                    f"{n_addr} address re-reads for {len(ids)} distinct orders"}


def smartstore(reqs):
    wins = defaultdict(lambda: [0, 0])
    items = 0
    token = 0
    for r in reqs:
        ep = r["endpoint"]
        if ep == "GET last-changed-statuses":
            k = dict(parse_qsl(r["query"]))["lastChangedTo"]
            wins[k][0] += 1
            wins[k][1] += max(r["rows"], 0)
        elif ep == "POST product-orders/query":
            items += r["items"]
        elif ep == "POST oauth2/token":
            token += 1
    feed = sum(max(1, math.ceil(rows / 300)) for pages, rows in wins.values())
    detail = math.ceil(items / 300)
    chain = 1 + max((p for p, _ in wins.values()), default=0) + 1
    return {"min": 1 + feed + detail, "chain": chain,
            "note": f"{len(wins)} feed windows, {items} ids in detail queries (min {detail} chunks)"}


ANALYSE = {"coupang": coupang, "11st": elevenst, "smartstore": smartstore}

bound_of = {}
for run in P["runs"]:
    print(f"\n== {run['name']}: wall {run['wall_s']:.1f} s, peak RSS {run['rss_kb'] / 1024:.1f} MB")
    print(f"{'market':<11} {'sent':>6} {'min':>6} {'ratio':>6} {'429':>4} {'bound s':>8}  notes")
    worst = 0.0
    tot_sent = tot_min = 0
    for mk, path in run["logs"].items():
        log = json.load(open(path))
        reqs = log["requests"]
        if log.get("dropped"):
            print(f"  warning: {mk} log dropped {log['dropped']} entries")
        a = ANALYSE[mk](reqs)
        sent = len(reqs)
        n429 = sum(1 for r in reqs if r["status"] == 429)
        rate = P["rates"][mk]
        # The gateway's bucket starts full (burst = rate), then refills at rate.
        bound = max(max(a["min"] - rate, 0) / rate + LAT, a["chain"] * LAT)
        bound_of.setdefault(mk, bound)
        worst = max(worst, bound)
        tot_sent += sent
        tot_min += a["min"]
        print(f"{mk:<11} {sent:>6} {a['min']:>6} {sent / a['min']:>6.3f} {n429:>4} {bound:>8.1f}  {a['note']}")
    print(f"{'all':<11} {tot_sent:>6} {tot_min:>6} {tot_sent / tot_min:>6.3f}")
    print(f"lower bound (slowest market) {worst:.1f} s; wall / bound = {run['wall_s'] / worst:.2f}")
    run["bound"] = worst
if len(P["runs"]) > 1:
    a, b = P["runs"][0], P["runs"][1]
    print(f"\n{a['name']} is {b['wall_s'] / a['wall_s']:.1f}x faster than {b['name']}")
