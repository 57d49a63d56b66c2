// The pass's cache= takes a store URL: a sqlite: store remembers the repair like the file,
// and a second run finds it there without building the runner.
// RUN: rm -rf %t && mkdir -p %t
// RUN: env NEUROJIT_HOME=%t/home neurojit-opt %s -p 'llm-repair{runner=mock responses="%S/Inputs/fenced.txt" proposers=model,rules cache="sqlite:///%t/store.db"}' | FileCheck %s --check-prefix=FIRST
// RUN: env NEUROJIT_HOME=%t/home neurojit cache --cache sqlite:///%t/store.db list | FileCheck %s --check-prefix=LIST
// RUN: env NEUROJIT_HOME=%t/home neurojit-opt %s -p 'llm-repair{runner=mock responses="%t/missing.txt" proposers=model,rules cache="sqlite:///%t/store.db"}' | FileCheck %s --check-prefix=HIT
// And $NEUROJIT_CACHE names the store when the pass names none.
// RUN: env NEUROJIT_HOME=%t/home NEUROJIT_CACHE=sqlite:///%t/store.db neurojit-opt %s -p 'llm-repair{runner=mock responses="%t/missing.txt" proposers=model,rules}' | FileCheck %s --check-prefix=HIT
// RUN: test ! -e %t/home/cache.json

// FIRST: #neurojit.strategy<source = "mock", model = "fenced.txt", attempt = 1, fingerprint = "[[FP:[0-9a-f]+]]">
// LIST: {{[0-9a-f]+}}  division-by-zero {{ +}}@div {{ +}}model {{ *}}fenced.txt
// HIT: #neurojit.strategy<source = "cache", model = "fenced.txt", attempt = 0, fingerprint = "{{[0-9a-f]+}}">

func.func @div(%a: i64, %b: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<kind = "division-by-zero", message = "divisor is 0", inputs = [7 : i64, 0 : i64]>} {
  %q = arith.divsi %a, %b : i64
  return %q : i64
}
