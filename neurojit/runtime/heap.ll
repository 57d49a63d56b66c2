; ---- NeuroJIT checked heap (neurojit/runtime/heap.ll; why and how: heap_ir.py) ----
; A Python string.Template: each dollar sign followed by a braced name is a constant that
; heap_ir.heap_ir() substitutes (guard state field indices, table sizes).
declare ptr @calloc(i64, i64)
declare ptr @malloc(i64)
declare void @free(ptr)
declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)
declare ptr @nj_guard_state()
declare void @nj_fail(i64, i64, i64) noreturn nounwind cold
!0 = !{!"branch_weights", i32 2000, i32 1}
!1 = !{!"branch_weights", i32 1, i32 2000}

declare ptr @aligned_alloc(i64, i64)

; The slot a pointer hashes to (Fibonacci hashing of the address without its alignment bits).
define internal i64 @nj_heap_home(i64 %p, i64 %mask) {
  %q = lshr i64 %p, 4
  %m = mul i64 %q, -7046029254386353131
  %h = lshr i64 %m, 20
  %r = and i64 %h, %mask
  ret i64 %r
}

; This thread's table, emptied if a new outermost guarded call started since its last use;
; null if it cannot be allocated.
define internal ptr @nj_heap_table(ptr %st) {
entry:
  %hp = getelementptr i64, ptr %st, i64 ${F_HEAP}
  %t = load volatile ptr, ptr %hp
  %seqp = getelementptr i64, ptr %st, i64 ${F_SEQ}
  %seq = load volatile i64, ptr %seqp
  %none = icmp eq ptr %t, null
  br i1 %none, label %fresh, label %have
have:
  %tseqp = getelementptr i64, ptr %t, i64 3
  %tseq = load volatile i64, ptr %tseqp
  %same = icmp eq i64 %tseq, %seq
  br i1 %same, label %current, label %reset, !prof !0
current:
  ret ptr %t
reset:
  %cap = load volatile i64, ptr %t
  %big = icmp ugt i64 %cap, ${SHRINK}
  br i1 %big, label %drop, label %clear
drop:
  store volatile ptr null, ptr %hp
  call void @free(ptr %t)
  br label %fresh
clear:
  %usedp = getelementptr i64, ptr %t, i64 1
  %used = load volatile i64, ptr %usedp
  %dirty = icmp ne i64 %used, 0
  br i1 %dirty, label %wipe, label %stamp
wipe:
  %slots = getelementptr i64, ptr %t, i64 ${H}
  %bytes = shl i64 %cap, 3
  call void @llvm.memset.p0.i64(ptr %slots, i8 0, i64 %bytes, i1 false)
  store volatile i64 0, ptr %usedp
  %livep = getelementptr i64, ptr %t, i64 2
  store volatile i64 0, ptr %livep
  br label %stamp
stamp:
  store volatile i64 %seq, ptr %tseqp
  ret ptr %t
fresh:
  %n = call ptr @calloc(i64 ${MIN_WORDS}, i64 8)
  %ok = icmp ne ptr %n, null
  br i1 %ok, label %init, label %fail
init:
  store volatile i64 ${MIN}, ptr %n
  %nseqp = getelementptr i64, ptr %n, i64 3
  store volatile i64 %seq, ptr %nseqp
  store volatile ptr %n, ptr %hp
  ret ptr %n
fail:
  ret ptr null
}

; Put the live pointer %p into %t, which has an empty slot. Reuses the first tombstone on
; the probe path; a pointer already present stays once.
define internal void @nj_heap_put(ptr %t, i64 %p) {
entry:
  %cap = load volatile i64, ptr %t
  %mask = sub i64 %cap, 1
  %home = call i64 @nj_heap_home(i64 %p, i64 %mask)
  br label %probe
probe:
  %i = phi i64 [ %home, %entry ], [ %inext, %next ]
  %n = phi i64 [ 0, %entry ], [ %n1, %next ]
  %tomb = phi i64 [ -1, %entry ], [ %tomb1, %next ]
  %w = add i64 %i, ${H}
  %sp = getelementptr i64, ptr %t, i64 %w
  %v = load volatile i64, ptr %sp
  %found = icmp eq i64 %v, %p
  br i1 %found, label %done, label %check_empty
check_empty:
  %empty = icmp eq i64 %v, 0
  br i1 %empty, label %place, label %next
next:
  %low = and i64 %v, 1
  %istomb = icmp ne i64 %low, 0
  %notomb = icmp eq i64 %tomb, -1
  %take = and i1 %istomb, %notomb
  %tomb1 = select i1 %take, i64 %i, i64 %tomb
  %i1 = add i64 %i, 1
  %inext = and i64 %i1, %mask
  %n1 = add i64 %n, 1
  %more = icmp ult i64 %n1, %cap
  br i1 %more, label %probe, label %no_empty
no_empty:
  %hastomb = icmp ne i64 %tomb1, -1
  br i1 %hastomb, label %reuse_late, label %done
reuse_late:
  %rw = add i64 %tomb1, ${H}
  %rp = getelementptr i64, ptr %t, i64 %rw
  store volatile i64 %p, ptr %rp
  br label %count_live
place:
  %reuse = icmp ne i64 %tomb, -1
  br i1 %reuse, label %reuse_tomb, label %use_empty
reuse_tomb:
  %tw = add i64 %tomb, ${H}
  %tp = getelementptr i64, ptr %t, i64 %tw
  store volatile i64 %p, ptr %tp
  br label %count_live
use_empty:
  store volatile i64 %p, ptr %sp
  %usedp = getelementptr i64, ptr %t, i64 1
  %used = load volatile i64, ptr %usedp
  %used1 = add i64 %used, 1
  store volatile i64 %used1, ptr %usedp
  br label %count_live
count_live:
  %livep = getelementptr i64, ptr %t, i64 2
  %live = load volatile i64, ptr %livep
  %live1 = add i64 %live, 1
  store volatile i64 %live1, ptr %livep
  br label %done
done:
  ret void
}

; %t with room for one more slot: itself, or a rebuilt table (published in the state before
; the old one is freed); null if a new table cannot be allocated.
define internal ptr @nj_heap_room(ptr %st, ptr %t) {
entry:
  %cap = load volatile i64, ptr %t
  %usedp = getelementptr i64, ptr %t, i64 1
  %used = load volatile i64, ptr %usedp
  %livep = getelementptr i64, ptr %t, i64 2
  %live = load volatile i64, ptr %livep
  %used1 = add i64 %used, 1
  %u4 = shl i64 %used1, 2
  %c3 = mul i64 %cap, 3
  %full = icmp ugt i64 %u4, %c3
  br i1 %full, label %rebuild, label %fits, !prof !1
fits:
  ret ptr %t
rebuild:
  %live1 = add i64 %live, 1
  %l2 = shl i64 %live1, 1
  %grow = icmp ugt i64 %l2, %cap
  %cap2 = shl i64 %cap, 1
  %newcap = select i1 %grow, i64 %cap2, i64 %cap
  %words = add i64 %newcap, ${H}
  %n = call ptr @calloc(i64 %words, i64 8)
  %ok = icmp ne ptr %n, null
  br i1 %ok, label %init, label %fail
init:
  store volatile i64 %newcap, ptr %n
  %tseqp = getelementptr i64, ptr %t, i64 3
  %tseq = load volatile i64, ptr %tseqp
  %nseqp = getelementptr i64, ptr %n, i64 3
  store volatile i64 %tseq, ptr %nseqp
  br label %copy
copy:
  %i = phi i64 [ 0, %init ], [ %i1, %copy_next ]
  %more = icmp ult i64 %i, %cap
  br i1 %more, label %copy_body, label %publish
copy_body:
  %w = add i64 %i, ${H}
  %sp = getelementptr i64, ptr %t, i64 %w
  %v = load volatile i64, ptr %sp
  %nonzero = icmp ne i64 %v, 0
  %low = and i64 %v, 1
  %even = icmp eq i64 %low, 0
  %alive = and i1 %nonzero, %even
  br i1 %alive, label %copy_put, label %copy_next
copy_put:
  call void @nj_heap_put(ptr %n, i64 %v)
  br label %copy_next
copy_next:
  %i1 = add i64 %i, 1
  br label %copy
publish:
  %hp = getelementptr i64, ptr %st, i64 ${F_HEAP}
  store volatile ptr %n, ptr %hp
  call void @free(ptr %t)
  ret ptr %n
fail:
  ret ptr null
}

; Record %p (non-null) as live in this thread's current call; false if out of memory.
define internal i1 @nj_heap_add(ptr %p) {
entry:
  %st = call ptr @nj_guard_state()
  %t0 = call ptr @nj_heap_table(ptr %st)
  %has = icmp ne ptr %t0, null
  br i1 %has, label %room, label %fail
room:
  %t = call ptr @nj_heap_room(ptr %st, ptr %t0)
  %ok = icmp ne ptr %t, null
  br i1 %ok, label %put, label %fail
put:
  %pi = ptrtoint ptr %p to i64
  call void @nj_heap_put(ptr %t, i64 %pi)
  ret i1 true
fail:
  ret i1 false
}

; malloc, recorded. An allocation that cannot be recorded is released: the program sees
; an allocation failure (a null buffer), never an untracked one.
define ptr @nj_malloc(i64 %size) {
entry:
  %p = call ptr @malloc(i64 %size)
  %null = icmp eq ptr %p, null
  br i1 %null, label %out, label %record
record:
  %ok = call i1 @nj_heap_add(ptr %p)
  br i1 %ok, label %out, label %undo
undo:
  call void @free(ptr %p)
  ret ptr null
out:
  ret ptr %p
}

define ptr @nj_aligned_alloc(i64 %align, i64 %size) {
entry:
  %p = call ptr @aligned_alloc(i64 %align, i64 %size)
  %null = icmp eq ptr %p, null
  br i1 %null, label %out, label %record
record:
  %ok = call i1 @nj_heap_add(ptr %p)
  br i1 %ok, label %out, label %undo
undo:
  call void @free(ptr %p)
  ret ptr null
out:
  ret ptr %p
}

; 1: %p was live (now a tombstone); 2: %p was freed in this call already; 0: neither.
define internal i32 @nj_heap_take(ptr %t, i64 %p) {
entry:
  %cap = load volatile i64, ptr %t
  %mask = sub i64 %cap, 1
  %home = call i64 @nj_heap_home(i64 %p, i64 %mask)
  %dead = or i64 %p, 1
  br label %probe
probe:
  %i = phi i64 [ %home, %entry ], [ %inext, %next ]
  %n = phi i64 [ 0, %entry ], [ %n1, %next ]
  %freed = phi i32 [ 0, %entry ], [ %freed1, %next ]
  %w = add i64 %i, ${H}
  %sp = getelementptr i64, ptr %t, i64 %w
  %v = load volatile i64, ptr %sp
  %live = icmp eq i64 %v, %p
  br i1 %live, label %take, label %check_empty
check_empty:
  %empty = icmp eq i64 %v, 0
  br i1 %empty, label %absent, label %next
next:
  %was = icmp eq i64 %v, %dead
  %freed1 = select i1 %was, i32 2, i32 %freed
  %i1 = add i64 %i, 1
  %inext = and i64 %i1, %mask
  %n1 = add i64 %n, 1
  %more = icmp ult i64 %n1, %cap
  br i1 %more, label %probe, label %absent_all
take:
  store volatile i64 %dead, ptr %sp
  %livep = getelementptr i64, ptr %t, i64 2
  %lv = load volatile i64, ptr %livep
  %lv1 = sub i64 %lv, 1
  store volatile i64 %lv1, ptr %livep
  ret i32 1
absent:
  ret i32 %freed
absent_all:
  ret i32 %freed1
}

; memref.dealloc: free %p if this call allocated it and has not freed it, else a precise
; fault at the dealloc (site_foreign or site_double, see sites.py). free(NULL) is a no-op,
; as in C.
define void @nj_dealloc(ptr %p, i64 %site_foreign, i64 %site_double) {
entry:
  %null = icmp eq ptr %p, null
  br i1 %null, label %out, label %look
look:
  %st = call ptr @nj_guard_state()
  %t = call ptr @nj_heap_table(ptr %st)
  %has = icmp ne ptr %t, null
  br i1 %has, label %take, label %foreign
take:
  %pi = ptrtoint ptr %p to i64
  %r = call i32 @nj_heap_take(ptr %t, i64 %pi)
  switch i32 %r, label %foreign [ i32 1, label %release
                                  i32 2, label %double ]
release:
  call void @free(ptr %p)
  br label %out
double:
  %pd = ptrtoint ptr %p to i64
  call void @nj_fail(i64 %site_double, i64 %pd, i64 0)
  unreachable
foreign:
  %pf = ptrtoint ptr %p to i64
  call void @nj_fail(i64 %site_foreign, i64 %pf, i64 0)
  unreachable
out:
  ret void
}
