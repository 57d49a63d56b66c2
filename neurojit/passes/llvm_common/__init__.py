"""What the `*-to-llvm` passes share, so that no pass imports another.

- `types`: the builtin -> LLVM type mapping and upstream's memref descriptor types;
- `build`: builders for the llvm ops the patterns emit;
- `memref_descriptor`: reading and building descriptors, element addresses;
- `driver`: `LoweringState`, `LoweringPattern`, `op_pattern` and the one-walk `apply_once`;
- `errors`: located errors for ops without a lowering.
"""
