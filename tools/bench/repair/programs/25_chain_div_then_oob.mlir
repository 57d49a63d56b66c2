// KIND: division-by-zero
// ENTRY: previous_slot
// CALLS: [[[10, 20, 30, 40], 8, 4], [[10, 20, 30, 40], 12, 4], [[10, 20, 30, 40], 9, 0]]
// The slot before offset / width; a zero width divides by zero, and once guarded the slot
// index leaves the table.
func.func @previous_slot(%t: memref<4xi64>, %offset: i64, %width: i64) -> i64 {
  %c1 = arith.constant 1 : i64
  %q = arith.divsi %offset, %width : i64
  %p = arith.subi %q, %c1 : i64
  %i = arith.index_cast %p : i64 to index
  %v = memref.load %t[%i] : memref<4xi64>
  func.return %v : i64
}
