// The first run asks the model and stores the repair; the second finds it in the cache and
// never builds the runner (its response file does not even exist).
// RUN: rm -rf %t && mkdir -p %t
// RUN: neurojit-opt %s -p 'llm-repair{runner=mock responses="%S/Inputs/fenced.txt" proposers=model,rules cache="%t/cache.json"}' | FileCheck %s --check-prefix=FIRST
// RUN: FileCheck %s --check-prefix=STORED < %t/cache.json
// RUN: neurojit-opt %s -p 'llm-repair{runner=mock responses="%t/missing.txt" proposers=model,rules cache="%t/cache.json"}' | FileCheck %s --check-prefix=HIT

// FIRST: #neurojit.strategy<source = "mock", model = "fenced.txt", attempt = 1, fingerprint = "[[FP:[0-9a-f]+]]">
// STORED: "kind": "division-by-zero"
// STORED: "proposer": "model"
// HIT: #neurojit.strategy<source = "cache", model = "fenced.txt", attempt = 0, fingerprint = "{{[0-9a-f]+}}">
// HIT: arith.divsi %a, %{{.*}} : i64

// Renaming values does not change the fingerprint: the same cache entry serves this module.
// RUN: sed -e 's/%%a/%%num/g' -e 's/%%b/%%den/g' %s > %t/renamed.mlir
// RUN: neurojit-opt %t/renamed.mlir -p 'llm-repair{runner=mock responses="%t/missing.txt" proposers=model,rules cache="%t/cache.json"}' | FileCheck %s --check-prefix=RENAMED
// RENAMED: #neurojit.strategy<source = "cache"

func.func @div(%a: i64, %b: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<kind = "division-by-zero", message = "divisor is 0", inputs = [7 : i64, 0 : i64]>} {
  %q = arith.divsi %a, %b : i64
  func.return %q : i64
}
