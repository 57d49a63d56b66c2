"""A short seeded run of the driver fuzzer (tools/fuzz/drivers.py): a few hundred mutated
inputs to neurojit-opt and neurojit-run, with no traceback, internal error, hang or signal.
The long run is in docs/benchmarks.md."""

from __future__ import annotations

from tools.fuzz.drivers import Input, classify, fuzz


def test_short_seeded_fuzz_finds_nothing() -> None:
    counts, findings = fuzz(inputs=300, seed=1, budget=30.0)
    assert sum(v for k, v in counts.items() if ":" not in k) == 300
    bad = [(o, i.tool, i.args, err) for o, i, err in findings if o != "unlocated"]
    assert bad == []
    # The run exercised both drivers and reached past the parser.
    assert counts["opt:ok"] > 0 and counts["run:located"] > 0


def test_classify_tells_findings_apart() -> None:
    item = Input("opt", "", [])
    assert classify(item, {"code": 0, "stderr": ""}) == "ok"
    assert classify(item, {"code": 1, "stderr": "f.mlir:3:4: error: bad"}) == "located"
    assert classify(item, {"code": 1, "stderr": "f.mlir: error: no public function"}) == (
        "unlocated"
    )
    assert classify(item, {"code": 1, "stderr": "f: error: internal error: KeyError"}) == (
        "internal"
    )
    assert classify(item, {"code": -1, "stderr": "Traceback (most recent call last):"}) == (
        "traceback"
    )
    # An input's own text echoed in a located error is not a traceback.
    echoed = "f.mlir:5:1: error: Could not parse entire input!\n// CHECK-NOT: Traceback\n^"
    assert classify(item, {"code": 1, "stderr": echoed}) == "located"
