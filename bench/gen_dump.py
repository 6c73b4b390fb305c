#!/usr/bin/env python3
"""Writes recorded API pages holding N order lines (a third per market) for
the conversion benchmark, from the documented examples in tests/data:
  DIR/coupang/NNNNN.json     v5 ordersheets pages, 50 boxes of one line each
  DIR/11st/NNNNN.xml         ordservices/complete answers, EUC-KR, 1000 rows
  DIR/smartstore/NNNNN.json  product-orders/query answers, 300 product orders
usage: gen_dump.py TESTDATA_DIR OUT_DIR N"""
import copy, json, os, re, sys

data, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
per = n // 3
for m in ("coupang", "11st", "smartstore"):
    os.makedirs(os.path.join(out, m), exist_ok=True)

# Coupang: the documented ordersheet, ids and times varied. Big ids go out as
# JSON numbers, as Coupang sends them (18 digits: the lossless layer's case).
sheet = json.load(open(os.path.join(data, "coupang/doc_examples.json")))["ordersheets"][0]
sheet["orderItems"] = sheet["orderItems"][:1]
tmpl = json.dumps(sheet, ensure_ascii=False, separators=(",", ":"))
tmpl = (tmpl.replace("642538971006401429", "{box}").replace("22000009546234", "{order}")
        .replace("3242596358", "{item}").replace("2025-01-15T14:17:13", "2026-03-{day:02d}T{hh:02d}:{mm:02d}:13"))
tmpl = tmpl.replace("{", "{{").replace("}", "}}")
for k in ("box", "order", "item", "day:02d", "hh:02d", "mm:02d"):
    tmpl = tmpl.replace("{{" + k + "}}", "{" + k + "}")
page, i = 0, 0
while i < per:
    rows = []
    for _ in range(min(50, per - i)):
        rows.append(tmpl.format(box=642538971006400000 + i, order=22000009000000 + i, item=3242590000 + i % 9973,
                                day=1 + i % 28, hh=i % 24, mm=i % 60))
        i += 1
    page += 1
    with open(os.path.join(out, "coupang", f"{page:05d}.json"), "w") as f:
        f.write('{"code":200,"message":"OK","data":[' + ",".join(rows) + '],"nextToken":"' +
                (str(page + 1) if i < per else "") + '"}')

# 11st: the documented complete-list row, EUC-KR as 11st sends it.
xml = open(os.path.join(data, "11st/complete_example.xml"), "rb").read().decode("euc-kr")
head, rest = xml.split("<ns2:order>", 1)
row, tail = rest.split("</ns2:order>", 1)
ord_no = re.search(r"<ordNo>(\d+)</ordNo>", row).group(1)
dlv_no = re.search(r"<dlvNo>(\d+)</dlvNo>", row).group(1)
row = row.replace(ord_no, "@ORD@").replace(dlv_no, "@DLV@")
page, i = 0, 0
while i < per:
    parts = []
    for _ in range(min(1000, per - i)):
        parts.append("<ns2:order>" + row.replace("@ORD@", str(20260225000000000 + i))
                     .replace("@DLV@", str(2678000000 + i)) + "</ns2:order>")
        i += 1
    page += 1
    with open(os.path.join(out, "11st", f"{page:05d}.xml"), "wb") as f:
        f.write((head + "".join(parts) + tail).encode("euc-kr"))

# SmartStore: the documented product-orders/query answer.
q = json.load(open(os.path.join(data, "smartstore/query_response.json")))
el = q["data"][0]
page, i = 0, 0
while i < per:
    items = []
    for _ in range(min(300, per - i)):
        e = copy.deepcopy(el)
        e["productOrder"]["productOrderId"] = str(2022051100000000 + i)
        e["order"]["orderId"] = str(2022051200000000 + i)
        items.append(e)
        i += 1
    page += 1
    with open(os.path.join(out, "smartstore", f"{page:05d}.json"), "w") as f:
        json.dump({"timestamp": q.get("timestamp"), "traceId": "bench", "data": items}, f,
                  ensure_ascii=False, separators=(",", ":"))
