// A function the verifier rejects is a fault of kind verifier-error: the module is read
// without verification, the offending function found, and repaired (here by a cast rule,
// and by a model answer). Nothing ran before, so there is no behaviour to replay: with a model
// answer and a rules answer that both verify, the smaller edit wins, and stderr says so.
// RUN: neurojit-opt %s --disable-verify -p 'llm-repair{proposers=rules cache=none}' | FileCheck %s --check-prefix=RULES
// RUN: neurojit-opt %s --disable-verify -p 'llm-repair{runner=mock responses="%S/Inputs/verifier-fix.txt" proposers=model cache=none}' | FileCheck %s --check-prefix=MODEL
// RUN: neurojit-opt %s --disable-verify -p 'llm-repair{runner=mock responses="%S/Inputs/verifier-fix.txt" proposers=model,rules cache=none}' 2>%t.err | FileCheck %s --check-prefix=RULES
// RUN: FileCheck %s --check-prefix=CHOSEN < %t.err
// CHOSEN: warning: llm-repair: @widen repaired by rules on static only
// CHOSEN-SAME: its behaviour was not checked
// CHOSEN-NEXT: note: llm-repair: @widen: disagree; smallest edit wins: rules [insert-casts] (2 ops edited) over model [attempt 1] (6 ops edited)
// With the default chain (rules,model) the rules' cast validates first, and the model is
// not queried just to second-guess it (the response file is never read).
// RUN: neurojit-opt %s -p 'llm-repair{runner=mock responses="%t.none" cache=none}' 2>&1 | FileCheck %s --check-prefix=DEFAULT
// DEFAULT: note: llm-repair: @widen: only rules [insert-casts] (2 ops edited) validated
// llm-repair first in the pipeline: the driver hands it the module unverified by itself.
// RUN: neurojit-opt %s -p 'llm-repair{proposers=rules cache=none}' | FileCheck %s --check-prefix=RULES
// Without llm-repair the same input is a verifier error.
// RUN: not neurojit-opt %s 2>&1 | FileCheck %s --check-prefix=PLAIN
// PLAIN: error: 'func.return' op
// The repaired output verifies (no --disable-verify on the second run).
// RUN: neurojit-opt %s --disable-verify -p 'llm-repair{proposers=rules cache=none}' | neurojit-opt | FileCheck %s --check-prefix=RULES

// RULES-LABEL: func.func @widen
// RULES-SAME:    #neurojit.strategy<source = "rules", model = "insert-casts", attempt = 1
// RULES:         %[[C:.*]] = arith.extsi %s : i32 to i64
// RULES:         func.return %[[C]] : i64
// RULES-LABEL: func.func @fine
// RULES-NOT:     neurojit.strategy

// MODEL-LABEL: func.func @widen
// MODEL-SAME:    #neurojit.strategy<source = "mock", model = "verifier-fix.txt", attempt = 1
// MODEL:         arith.muli

func.func @widen(%a: i64) -> i64 {
  %s = arith.trunci %a : i64 to i32
  func.return %s : i32
}

func.func @fine(%a: i64) -> i64 {
  func.return %a : i64
}
