#!/usr/bin/python3
"""Measures Taurus 5's rates for eval names and attributes, as a baseline for
tk-core's benchmarks in the same run. Prints one JSON object on stdout:

  {"taurus": "5.0.0", "seconds": <per case>, "rates": {<case>: ops_per_second, ...}}

Cases:
  validateName       taurus.isValidName on distinct eval names
  createAttribute    taurus.Attribute on distinct eval names (creates them)
  lookupAttribute    taurus.Attribute on an already created name
  readPlain          attr.read(cache=False) of a plain expression
  readQuantity       attr.read(cache=False) of a quantity expression
  reevaluateOnChange a change event of a reference makes the dependent
                     attribute re-evaluate and notify its listener

Usage: /usr/bin/python3 bench/taurus/taurus_bench.py [--seconds 1.0] [--cases validateName,...]
"""
import argparse
import json
import logging
import sys
import time

from taurus import tauruscustomsettings

tauruscustomsettings.DEFAULT_SCHEME = "eval"

import taurus  # noqa: E402
from taurus.core.taurusbasetypes import TaurusEventType  # noqa: E402

for _name in ("TaurusRootLogger", ""):
    _lg = logging.getLogger(_name)
    for _h in list(_lg.handlers):
        _lg.removeHandler(_h)
    _lg.addHandler(logging.NullHandler())
logging.getLogger("TaurusRootLogger").propagate = False


def rate(fn, seconds):
    """Calls fn(i) for i = 0, 1, ... during about `seconds`; returns calls per second.

    Warmed up first with fn(-1), fn(-2), ... for a tenth of `seconds` (at
    least 20 calls): the first call of a case can import a scheme plugin or
    compile patterns, which is not the rate of the case.
    """
    w = 0
    warm_until = time.perf_counter() + seconds / 10
    while w < 20 or time.perf_counter() < warm_until:
        w += 1
        fn(-w)
    n = 0
    batch = 16
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(batch):
            fn(n)
            n += 1
        now = time.perf_counter()
        if now >= deadline:
            return n / (now - start)
        if now - start < seconds / 10:
            batch *= 2


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--cases", default="", help="comma-separated case names (default: all)")
    args = ap.parse_args()
    s = args.seconds
    wanted = set(filter(None, args.cases.split(",")))
    rates = {}

    def want(case):
        return not wanted or case in wanted

    if want("validateName"):
        rates["validateName"] = rate(lambda i: taurus.isValidName("eval:x=%d;x*2+{eval:%d}" % (i, i % 7)), s)

    def create(i):
        taurus.Attribute("eval:%d*2+1" % (1000000 + i))

    if want("createAttribute"):
        rates["createAttribute"] = rate(create, s)

    existing = "eval:3*4+5"
    taurus.Attribute(existing)
    if want("lookupAttribute"):
        rates["lookupAttribute"] = rate(lambda i: taurus.Attribute(existing), s)

    plain = taurus.Attribute("eval:2*3+1")
    if want("readPlain"):
        rates["readPlain"] = rate(lambda i: plain.read(cache=False), s)

    quantity = taurus.Attribute('eval:Q("12.5m")*2')
    if want("readQuantity"):
        rates["readQuantity"] = rate(lambda i: quantity.read(cache=False), s)

    if want("reevaluateOnChange"):
        # Re-evaluation on input change: the dependent attribute listens to its
        # reference; firing a change event on the reference re-evaluates it.
        source = taurus.Attribute("eval:1.5")
        dependent = taurus.Attribute("eval:{eval:1.5}*2")
        received = [0]

        def listener(src, evt_type, evt_value):
            received[0] += 1

        dependent.addListener(listener)
        value = source.read()
        before = received[0]
        rates["reevaluateOnChange"] = rate(lambda i: source.fireEvent(TaurusEventType.Change, value), s)
        if received[0] == before:
            del rates["reevaluateOnChange"]  # not measurable: no notification reached the listener
        dependent.removeListener(listener)

    json.dump({"taurus": taurus.Release.version, "seconds": s, "rates": rates}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
