#!/usr/bin/python3
"""The Taurus widget oracle: Taurus 5's own Qt widgets, run headless
(QT_QPA_PLATFORM=offscreen), answering what they show, for tk-core's
differential tests of tk-core/ui. Same protocol as taurus_oracle.py: one JSON
request per line on stdin, one answer per line on stdout.

Ops:
  hello                               -> {"taurus": version}
  form      {models}                  -> [{read, write, units}] widget class names of a TaurusForm's TaurusValues
  label     {model, fgRole?, bgRole?} -> {text, bg: [r,g,b,a], fg: [r,g,b,a]} of a TaurusLabel
  lineEdit  {model, text}             -> {pending, text, style} of a TaurusValueLineEdit after typing `text`
  qualityPalette                      -> {VALID: {bg, fg, name}, ...} Taurus's Qt quality palette
  write     {model, value}            -> the attribute's read-back rvalue after writing a number (magnitude)
"""
import json
import logging
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from taurus import tauruscustomsettings  # noqa: E402

tauruscustomsettings.DEFAULT_SCHEME = "eval"

import taurus  # noqa: E402
from taurus.qt.qtgui.application import TaurusApplication  # noqa: E402

taurus.setLogLevel(taurus.Critical)
for _name in ("TaurusRootLogger", ""):
    logging.getLogger(_name).handlers[:] = []
logging.getLogger("TaurusRootLogger").propagate = False

APP = TaurusApplication([], cmd_line_parser=None)

from taurus.external.qt import Qt  # noqa: E402
from taurus.qt.qtgui.display import TaurusLabel  # noqa: E402
from taurus.qt.qtgui.input import TaurusValueLineEdit  # noqa: E402
from taurus.qt.qtgui.panel import TaurusForm  # noqa: E402


def settle():
    for _ in range(5):
        APP.processEvents()


def cls(w):
    return None if w is None else type(w).__name__


def op_form(req):
    form = TaurusForm()
    form.setModel(list(req["models"]))
    settle()
    out = []
    for tv in form:
        out.append({"read": cls(tv.readWidget()), "write": cls(tv.writeWidget()), "units": cls(tv.unitsWidget())})
    form.setModel([])
    return out


def op_label(req):
    label = TaurusLabel()
    if req.get("fgRole") is not None:
        label.setFgRole(req["fgRole"])
    if req.get("bgRole") is not None:
        label.setBgRole(req["bgRole"])
    label.setModel(req["model"])
    settle()
    pal = label.palette()
    result = {
        "text": label.text(),
        "bg": list(pal.color(Qt.QPalette.Window).getRgb()),
        "fg": list(pal.color(Qt.QPalette.WindowText).getRgb()),
    }
    label.setModel(None)
    return result


def op_line_edit(req):
    w = TaurusValueLineEdit()
    w.setModel(req["model"])
    settle()
    before = w.hasPendingOperations()
    w.setText(req["text"])
    settle()
    result = {"pendingBefore": before, "pending": w.hasPendingOperations(), "text": w.text(), "style": w.styleSheet()}
    w.setModel(None)
    return result


def op_write(req):
    a = taurus.Attribute(req["model"])
    q = a.rvalue
    a.write(type(q)(req["value"], q.units) if hasattr(q, "units") else req["value"])
    v = a.read(cache=False).rvalue
    return getattr(v, "magnitude", v)


def op_quality_palette(req):
    from taurus.core.taurusbasetypes import AttrQuality
    from taurus.qt.qtgui.util import QT_ATTRIBUTE_QUALITY_PALETTE

    out = {}
    for q in ("ATTR_VALID", "ATTR_INVALID", "ATTR_ALARM", "ATTR_WARNING", "ATTR_CHANGING"):
        bg, fg = QT_ATTRIBUTE_QUALITY_PALETTE.qbrush(getattr(AttrQuality, q))
        name = QT_ATTRIBUTE_QUALITY_PALETTE.name(getattr(AttrQuality, q))
        out[q[5:]] = {"bg": list(bg.color().getRgb()), "fg": list(fg.color().getRgb()), "name": name}
    return out


def handle(req):
    op = req["op"]
    if op == "hello":
        return {"taurus": taurus.Release.version}
    if op == "form":
        return op_form(req)
    if op == "label":
        return op_label(req)
    if op == "lineEdit":
        return op_line_edit(req)
    if op == "qualityPalette":
        return op_quality_palette(req)
    if op == "write":
        return op_write(req)
    raise ValueError("unknown op %r" % op)


def main():
    out = sys.stdout
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        req = json.loads(line)
        try:
            answer = {"id": req.get("id"), "ok": True, "result": handle(req)}
        except BaseException as e:  # Taurus's own errors are answers too
            if isinstance(e, (KeyboardInterrupt, SystemExit)):
                raise
            answer = {"id": req.get("id"), "ok": False, "error": "%s: %s" % (type(e).__name__, e)}
        out.write(json.dumps(answer) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
