"""What pint (the units library of Taurus, Debian's python3-pint) says about
unit expressions, for test/units/pint.differential.test.ts.

Reads one JSON object from stdin: {"names": [...], "pairs": [[a, b], ...]}.
Writes one JSON object: {"version", "names": {name: known}, "pairs":
[{"compatible": bool|null, "factor": float|null, "error": str|null}, ...]}.
A factor is (1 * a).to(b).magnitude; compatible is null when pint cannot
read a or b. Uses Taurus's registry (taurus.core.units.UR) when Taurus is
installed, otherwise a plain pint.UnitRegistry() (Taurus's is that plus ºC).
"""
import json
import sys

import pint

try:
    from taurus.core.units import UR as ureg
except Exception:  # Taurus absent: the same registry without ºC
    ureg = pint.UnitRegistry()


def unit(text):
    return ureg.parse_units(text)


def known(name):
    try:
        unit(name)
        return True
    except Exception:
        return False


def pair(a, b):
    try:
        ua, ub = unit(a), unit(b)
    except Exception as e:
        return {"compatible": None, "factor": None, "error": type(e).__name__}
    if ua.dimensionality != ub.dimensionality:
        return {"compatible": False, "factor": None, "error": None}
    try:
        return {"compatible": True, "factor": float(ureg.Quantity(1.0, ua).to(ub).magnitude), "error": None}
    except Exception as e:
        return {"compatible": True, "factor": None, "error": type(e).__name__}


request = json.load(sys.stdin)
json.dump(
    {
        "version": pint.__version__,
        "names": {n: known(n) for n in request.get("names", [])},
        "pairs": [pair(a, b) for a, b in request.get("pairs", [])],
    },
    sys.stdout,
)
