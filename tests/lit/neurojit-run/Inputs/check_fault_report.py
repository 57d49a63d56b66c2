"""check_report.py REPORT STATUS [FUNCTION KIND SIGNAL INPUTS]: assert a neurojit-run --report."""

import json
import sys

report = json.load(open(sys.argv[1]))
assert set(report) >= {"status", "results", "faults", "repairs"}, report
assert report["status"] == sys.argv[2], report["status"]
if len(sys.argv) > 3:
    function, kind, signal, inputs = sys.argv[3:7]
    (fault,) = report["faults"]
    assert set(fault) >= {"function", "kind", "signal", "location", "message", "inputs"}, fault
    assert fault["function"] == function, fault
    assert fault["kind"] == kind, fault
    assert fault["signal"] == (None if signal == "null" else signal), fault
    assert fault["inputs"] == json.loads(inputs), fault
    assert report["results"] == [] and report["repairs"] == [], report
else:
    assert report["faults"] == [], report
