"""Helpers for the integration tests (python3 standard library only)."""
import csv
import io
import json
import sys
import urllib.request


def read_sheet(path):
    """Rows of a sheet written by orderbridge (UTF-8 with BOM) as dicts."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def write_sheet(path, rows, fieldnames):
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fieldnames, lineterminator="\r\n")
        w.writeheader()
        w.writerows(rows)


def state(url):
    with urllib.request.urlopen(url + "/_sandbox/state") as r:
        return json.load(r)


def post(url, path, body=None):
    data = json.dumps(body).encode() if body is not None else b""
    req = urllib.request.Request(url + path, data=data, method="POST")
    with urllib.request.urlopen(req) as r:
        text = r.read()
        return json.loads(text) if text else None


def check(cond, msg):
    if not cond:
        print("FAIL: " + msg, file=sys.stderr)
        sys.exit(1)
