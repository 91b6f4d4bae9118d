#!/usr/bin/python3
"""The Taurus oracle: answers questions about eval names and readings with the
real Taurus (Debian python3-taurus), for tk-core's differential tests.

Protocol: one JSON object per line on stdin, one JSON answer per line on stdout,
in order. A request is ``{"id": ..., "op": ..., ...}``; the answer is
``{"id": ..., "ok": true, "result": ...}`` or ``{"id": ..., "ok": false,
"error": "<ExceptionType>: <message>"}`` when Taurus raised.

Ops:
  hello                                          -> {"taurus": version}
  isValid      {validator, name, strict}         -> bool
  getUriGroups {validator, name, strict}         -> {group: value} | null
  getNames     {validator, name}                 -> [full, normal, simple] | null
  getDeviceName {name}                           -> the evaluator device of an attribute name
  isValidName  {name, types?, strict}            -> bool          (taurus.isValidName)
  getValidTypesForName {name, strict}            -> [type names]  (taurus.getValidTypesForName)
  read         {name}                            -> {magnitude, units, unitsSymbol, type,
                                                     data_format, quality, label, warning}
  objectNames  {kind, name}                      -> [full, normal, simple] of taurus.<kind>(name)
  loadResource {map, priority?}                  -> true (a map for the res scheme, Taurus's ResourcesFactory)
``validator`` is "authority", "device" or "attribute"; ``strict`` may be null
(Taurus's default: tauruscustomsettings.STRICT_MODEL_NAMES, False).

Two guards turn Taurus hangs into errors without changing any other answer:
each request runs under a timer (``TaurusHang``), and the reference scanner
``_findAllTokensBetweenChars`` (which loops forever, growing a list, on some
misordered braces such as ``}{``) is stopped once it has produced more tokens
than the string could ever hold.
"""
import json
import logging
import math
import signal
import sys

from taurus import tauruscustomsettings

# Names without a scheme behave like tk-core's: the default scheme is eval.
tauruscustomsettings.DEFAULT_SCHEME = "eval"

import taurus  # noqa: E402
from taurus.core import TaurusElementType  # noqa: E402
from taurus.core.evaluation import evalvalidator  # noqa: E402

REQUEST_SECONDS = 2.0


class TaurusHang(Exception):
    """Taurus did not answer in time (an endless loop)."""


def _silence_logging(capture):
    """Routes Taurus's log records to `capture` instead of stderr."""

    class Capture(logging.Handler):
        def emit(self, record):
            if record.levelno >= logging.WARNING:
                try:
                    capture.append(record.getMessage())
                except Exception:  # pragma: no cover - formatting errors
                    capture.append(str(record.msg))

    taurus.setLogLevel(taurus.Warning)
    for name in ("TaurusRootLogger", ""):
        lg = logging.getLogger(name)
        for h in list(lg.handlers):
            lg.removeHandler(h)
        lg.addHandler(Capture())
    logging.getLogger("TaurusRootLogger").propagate = False
    logging.getLogger("py.warnings").disabled = True
    import warnings

    warnings.simplefilter("ignore")


WARNINGS = []
_silence_logging(WARNINGS)

_original_tokens = evalvalidator._findAllTokensBetweenChars


def _guarded_tokens(string, start, end, n=None):
    if n is None:
        limit = 4 * string.count(start) + 8
        tokens = _original_tokens(string, start, end, limit)
        if len(tokens) >= limit:
            raise TaurusHang("_findAllTokensBetweenChars loops forever on %r" % string[:200])
        return tokens
    return _original_tokens(string, start, end, n)


evalvalidator._findAllTokensBetweenChars = _guarded_tokens


def _on_alarm(signum, frame):
    raise TaurusHang("no answer within %.1f s" % REQUEST_SECONDS)


signal.signal(signal.SIGALRM, _on_alarm)

_factory = taurus.Factory("eval")
VALIDATORS = {
    "authority": _factory.getAuthorityNameValidator(),
    "device": _factory.getDeviceNameValidator(),
    "attribute": _factory.getAttributeNameValidator(),
}

TYPE_NAMES = {"Attribute", "Device", "Authority"}


def _etype_name(t):
    return TaurusElementType.whatis(t)


def _plain(v):
    """Makes `v` JSON-safe: numpy to lists/scalars, non-finite floats to strings."""
    try:
        import numpy
    except ImportError:  # pragma: no cover
        numpy = None
    if numpy is not None and isinstance(v, numpy.ndarray):
        return _plain(v.tolist())
    if numpy is not None and isinstance(v, numpy.generic):
        return _plain(v.item())
    if isinstance(v, bool) or v is None or isinstance(v, str) or isinstance(v, int):
        return v
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        return v
    if isinstance(v, complex):
        return {"re": _plain(v.real), "im": _plain(v.imag)}
    if isinstance(v, bytes):
        return {"bytes": list(v)}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    return repr(v)


def _enum_name(enum, value):
    try:
        return enum.whatis(value)
    except Exception:
        return None if value is None else str(value)


def op_read(req):
    from taurus.core.taurusbasetypes import DataType, DataFormat, AttrQuality

    del WARNINGS[:]
    attr = taurus.Attribute(req["name"])
    value = attr.read(cache=False)
    rvalue = value.rvalue
    magnitude, units, symbol = rvalue, None, None
    if hasattr(rvalue, "magnitude") and hasattr(rvalue, "units"):
        magnitude = rvalue.magnitude
        units = str(rvalue.units)
        symbol = format(rvalue.units, "~")
    return {
        "magnitude": _plain(magnitude),
        "units": units,
        "unitsSymbol": symbol,
        "pythonType": type(magnitude).__name__,
        "type": _enum_name(DataType, attr.type),
        "data_format": _enum_name(DataFormat, attr.data_format),
        "quality": _enum_name(AttrQuality, value.quality),
        "label": attr.getLabel(),
        "fullName": attr.getFullName(),
        "simpleName": attr.getSimpleName(),
        "warning": WARNINGS[-1] if WARNINGS else None,
    }


def handle(req):
    op = req["op"]
    strict = req.get("strict")
    if op == "hello":
        return {"taurus": taurus.Release.version}
    if op == "isValid":
        return VALIDATORS[req["validator"]].isValid(req["name"], strict=strict)
    if op == "getUriGroups":
        return _plain(VALIDATORS[req["validator"]].getUriGroups(req["name"], strict=strict))
    if op == "getNames":
        names = VALIDATORS[req["validator"]].getNames(req["name"])
        return None if names is None else list(names)
    if op == "getDeviceName":
        return VALIDATORS["attribute"].getDeviceName(req["name"])
    if op == "isValidName":
        types = req.get("types")
        etypes = None if types is None else [getattr(TaurusElementType, t) for t in types]
        return taurus.isValidName(req["name"], etypes=etypes, strict=strict)
    if op == "getValidTypesForName":
        return [_etype_name(t) for t in taurus.getValidTypesForName(req["name"], strict=strict)]
    if op == "read":
        return op_read(req)
    if op == "objectNames":
        obj = getattr(taurus, req["kind"])(req["name"])
        return [obj.getFullName(), obj.getNormalName(), obj.getSimpleName()]
    if op == "loadResource":
        # Taurus's res scheme: a map of names to URIs, at a priority (1 is the highest)
        taurus.Factory("res").loadResource(dict(req["map"]), priority=req.get("priority", 1))
        return True
    raise ValueError("unknown op %r" % op)


def main():
    out = sys.stdout
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        req = json.loads(line)
        try:
            signal.setitimer(signal.ITIMER_REAL, REQUEST_SECONDS)
            try:
                result = handle(req)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            answer = {"id": req.get("id"), "ok": True, "result": result}
        except BaseException as e:  # Taurus's own errors are answers too
            if isinstance(e, (KeyboardInterrupt, SystemExit)):
                raise
            answer = {"id": req.get("id"), "ok": False, "error": "%s: %s" % (type(e).__name__, e)}
        out.write(json.dumps(answer, allow_nan=False) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
