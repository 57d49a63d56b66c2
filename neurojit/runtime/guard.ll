; ---- NeuroJIT crash guard (neurojit/runtime/guard.ll; why and how: guard_ir.py) ----
; A Python string.Template: each dollar sign followed by a braced name is a constant that
; guard_ir.guard_ir() substitutes (state field indices, glibc x86-64 layouts, the message).
@nj_key = internal global i32 0
@nj_timer_sig = global i32 0
@nj_prev_actions = global [65 x [${SIGACTION_BYTES} x i8]] zeroinitializer, align 16
@nj_ranges = global [${MAX_RANGES} x [2 x i64]] zeroinitializer, align 16
@nj_nranges = global i64 0
@nj_unguarded_msg = private constant [${MSG_LEN} x i8] c"${MSG}"

declare i32 @pthread_key_create(ptr, ptr)
declare i32 @__register_atfork(ptr, ptr, ptr, ptr)
declare ptr @pthread_getspecific(i32)
declare i32 @pthread_setspecific(i32, ptr)
declare ptr @calloc(i64, i64)
declare ptr @malloc(i64)
declare void @free(ptr)
declare i32 @sigaltstack(ptr, ptr)
declare i32 @timer_create(i32, ptr, ptr)
declare i32 @timer_settime(ptr, i32, ptr, ptr)
declare i32 @timer_delete(ptr)
declare i32 @gettid()
declare i32 @__sigsetjmp(ptr, i32) #0
declare void @siglongjmp(ptr, i32) #1
declare i32 @sigaction(i32, ptr, ptr)
declare i32 @raise(i32)
declare void @abort() #1
declare i64 @write(i32, ptr, i64)
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)

; Create the pthread key once (guard.py calls this under its lock, before any guarded call).
define i32 @nj_guard_init() {
  %r = call i32 @pthread_key_create(ptr @nj_key, ptr @nj_state_destroy)
  ; pthread_atfork lives in libc_nonshared.a; __register_atfork is what libc.so exports.
  %f = call i32 @__register_atfork(ptr null, ptr null, ptr @nj_atfork_child, ptr null)
  %bad = or i32 %r, %f
  ret i32 %bad
}

; Key destructor, at thread exit: stop the timer, drop the altstack, free the state.
define void @nj_state_destroy(ptr %st) {
entry:
  %tsp = getelementptr i64, ptr %st, i64 ${F_TIMER_STATE}
  %ts = load volatile i64, ptr %tsp
  %has = icmp ne i64 %ts, 0
  br i1 %has, label %deltimer, label %stack
deltimer:
  store volatile i64 0, ptr %tsp
  %tp = getelementptr i64, ptr %st, i64 ${F_TIMER}
  %t = load ptr, ptr %tp
  %d = call i32 @timer_delete(ptr %t)
  br label %stack
stack:
  %ss = alloca [24 x i8], align 8
  call void @llvm.memset.p0.i64(ptr %ss, i8 0, i64 24, i1 false)
  %ssf = getelementptr i8, ptr %ss, i64 8
  store i32 ${SS_DISABLE}, ptr %ssf
  %asp = getelementptr i64, ptr %st, i64 ${F_ALTSTACK}
  %alt = load ptr, ptr %asp
  ; Only disable the altstack if it is still ours.
  %cur = alloca [24 x i8], align 8
  %q = call i32 @sigaltstack(ptr null, ptr %cur)
  %cursp = load ptr, ptr %cur
  %mine = icmp eq ptr %cursp, %alt
  br i1 %mine, label %disable, label %release
disable:
  %r = call i32 @sigaltstack(ptr %ss, ptr null)
  br label %release
release:
  call void @free(ptr %alt)
  %hp = getelementptr i64, ptr %st, i64 ${F_HEAP}
  %heap = load ptr, ptr %hp
  call void @free(ptr %heap)
  call void @free(ptr %st)
  ret void
}
declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)

; Create this thread's watchdog timer (SIGEV_THREAD_ID: the tick lands on this thread).
define internal void @nj_timer_create(ptr %st) {
entry:
  %tsp = getelementptr i64, ptr %st, i64 ${F_TIMER_STATE}
  store volatile i64 0, ptr %tsp
  ; struct sigevent: value @0, signo @8, notify @12, _tid @16 (64 bytes).
  %sev = alloca [64 x i8], align 8
  call void @llvm.memset.p0.i64(ptr %sev, i8 0, i64 64, i1 false)
  %sig = load i32, ptr @nj_timer_sig
  %signo = getelementptr i8, ptr %sev, i64 8
  store i32 %sig, ptr %signo
  %notify = getelementptr i8, ptr %sev, i64 12
  store i32 ${SIGEV_THREAD_ID}, ptr %notify
  %tid = call i32 @gettid()
  %tidp = getelementptr i8, ptr %sev, i64 16
  store i32 %tid, ptr %tidp
  %tp = getelementptr i64, ptr %st, i64 ${F_TIMER}
  %hassig = icmp sgt i32 %sig, 0
  br i1 %hassig, label %mktimer, label %done
mktimer:
  %r = call i32 @timer_create(i32 ${CLOCK_MONOTONIC}, ptr %sev, ptr %tp)
  %ok = icmp eq i32 %r, 0
  %tstate = select i1 %ok, i64 1, i64 0
  store volatile i64 %tstate, ptr %tsp
  br label %done
done:
  ret void
}

; In a fork()ed child: POSIX timers are not inherited and the thread id changed, so the
; forking thread's copied state names a timer that does not exist. Give it a new one.
define internal void @nj_atfork_child() {
entry:
  %key = load i32, ptr @nj_key
  %st = call ptr @pthread_getspecific(i32 %key)
  %has = icmp ne ptr %st, null
  br i1 %has, label %fix, label %done
fix:
  call void @nj_timer_create(ptr %st)
  %ip = getelementptr i64, ptr %st, i64 ${F_IDLE_TICKS}
  store volatile i64 0, ptr %ip
  br label %done
done:
  ret void
}

; This thread's state, created on first use: altstack (so stack overflow is catchable) and a
; watchdog timer whose signal is delivered to this thread only.
define ptr @nj_guard_state() {
entry:
  %key = load i32, ptr @nj_key
  %st = call ptr @pthread_getspecific(i32 %key)
  %have = icmp ne ptr %st, null
  br i1 %have, label %done, label %create, !prof !0
done:
  ret ptr %st
create:
  %new = call ptr @calloc(i64 1, i64 ${STATE_BYTES})
  %alt = call ptr @malloc(i64 ${ALTSTACK_BYTES})
  %asp = getelementptr i64, ptr %new, i64 ${F_ALTSTACK}
  store ptr %alt, ptr %asp
  %ss = alloca [24 x i8], align 8
  store ptr %alt, ptr %ss
  %ssf = getelementptr i8, ptr %ss, i64 8
  store i32 0, ptr %ssf
  %ssz = getelementptr i8, ptr %ss, i64 16
  store i64 ${ALTSTACK_BYTES}, ptr %ssz
  %r1 = call i32 @sigaltstack(ptr %ss, ptr null)
  call void @nj_timer_create(ptr %new)
  br label %publish
publish:
  %r3 = call i32 @pthread_setspecific(i32 %key, ptr %new)
  ret ptr %new
}

; Start (period > 0) or stop (period = 0) this thread's periodic tick; the first tick comes
; after `first` ns.
define internal void @nj_timer_set(ptr %st, i64 %first, i64 %period) {
  %its = alloca [4 x i64], align 8
  %isec = udiv i64 %period, 1000000000
  %insec = urem i64 %period, 1000000000
  %fsec = udiv i64 %first, 1000000000
  %fnsec = urem i64 %first, 1000000000
  %p0 = getelementptr i64, ptr %its, i64 0
  store i64 %isec, ptr %p0
  %p1 = getelementptr i64, ptr %its, i64 1
  store i64 %insec, ptr %p1
  %p2 = getelementptr i64, ptr %its, i64 2
  store i64 %fsec, ptr %p2
  %p3 = getelementptr i64, ptr %its, i64 3
  store i64 %fnsec, ptr %p3
  %tp = getelementptr i64, ptr %st, i64 ${F_TIMER}
  %t = load ptr, ptr %tp
  %r = call i32 @timer_settime(ptr %t, i32 0, ptr %its, ptr null)
  ret void
}

; Watchdog settings for this thread: a call may run `ticks` ticks of `period` ns (0 = off).
define void @nj_guard_set_watchdog(i64 %ticks, i64 %period) {
entry:
  %st = call ptr @nj_guard_state()
  %tk = getelementptr i64, ptr %st, i64 ${F_TICKS}
  store volatile i64 %ticks, ptr %tk
  %pp = getelementptr i64, ptr %st, i64 ${F_PERIOD}
  store volatile i64 %period, ptr %pp
  %tsp = getelementptr i64, ptr %st, i64 ${F_TIMER_STATE}
  %ts = load volatile i64, ptr %tsp
  %running = icmp eq i64 %ts, 2
  br i1 %running, label %rearm, label %out
rearm:
  %off = icmp eq i64 %ticks, 0
  %p = select i1 %off, i64 0, i64 %period
  %ns = select i1 %off, i64 1, i64 2
  store volatile i64 %ns, ptr %tsp
  call void @nj_timer_set(ptr %st, i64 %p, i64 %p)
  br label %out
out:
  ret void
}

; i32 nj_guard_call(fn, slots): call fn(slots); 0 if it returned, else the fault code
; (signal number, or ${NJ_FAIL_CODE} for nj_fail); details are in nj_guard_state().
define i32 @nj_guard_call(ptr %fn, ptr %slots) {
entry:
  %jb = alloca [${JMPBUF_BYTES} x i8], align 16
  %st = call ptr @nj_guard_state()
  %jmpp = getelementptr i64, ptr %st, i64 ${F_JMP}
  %prev = load volatile ptr, ptr %jmpp
  %depthp = getelementptr i64, ptr %st, i64 ${F_DEPTH}
  %d = load volatile i64, ptr %depthp
  %r = call i32 @__sigsetjmp(ptr %jb, i32 0) #0
  %z = icmp eq i32 %r, 0
  br i1 %z, label %run, label %fault, !prof !0
run:
  store volatile ptr %jb, ptr %jmpp
  %d1 = add i64 %d, 1
  store volatile i64 %d1, ptr %depthp
  %outer = icmp eq i64 %d, 0
  br i1 %outer, label %outer_start, label %call, !prof !0
outer_start:
  %seqp = getelementptr i64, ptr %st, i64 ${F_SEQ}
  %seq = load volatile i64, ptr %seqp
  %seq1 = add i64 %seq, 1
  store volatile i64 %seq1, ptr %seqp
  ; depth is already 1 here, so a tick cannot stop the timer between this test and the call.
  %tsp = getelementptr i64, ptr %st, i64 ${F_TIMER_STATE}
  %ts = load volatile i64, ptr %tsp
  %stopped = icmp eq i64 %ts, 1
  %tk = getelementptr i64, ptr %st, i64 ${F_TICKS}
  %ticks = load volatile i64, ptr %tk
  %wanted = icmp ne i64 %ticks, 0
  %start = and i1 %stopped, %wanted
  br i1 %start, label %arm, label %call, !prof !1
arm:
  store volatile i64 2, ptr %tsp
  %pp = getelementptr i64, ptr %st, i64 ${F_PERIOD}
  %period = load volatile i64, ptr %pp
  call void @nj_timer_set(ptr %st, i64 %period, i64 %period)
  br label %call
call:
  call void %fn(ptr %slots)
  store volatile i64 %d, ptr %depthp
  store volatile ptr %prev, ptr %jmpp
  ret i32 0
fault:
  store volatile i64 %d, ptr %depthp
  store volatile ptr %prev, ptr %jmpp
  ret i32 %r
}

; i32 nj_guard_call_with(fn, slots, ticks, period): nj_guard_call under that watchdog setting
; for this call only; the thread's own setting is put back after (a thread without one adopts
; it). For JIT-generated guarded
; entries (one ctypes argument, the deadline a constant in the IR).
define i32 @nj_guard_call_with(ptr %fn, ptr %slots, i64 %ticks, i64 %period) {
entry:
  %st = call ptr @nj_guard_state()
  %stk = getelementptr i64, ptr %st, i64 ${F_TICKS}
  %stp = getelementptr i64, ptr %st, i64 ${F_PERIOD}
  %old_ticks = load volatile i64, ptr %stk
  %old_period = load volatile i64, ptr %stp
  %same_period = icmp eq i64 %old_period, %period
  br i1 %same_period, label %fast, label %slow, !prof !0
fast:
  ; Same tick period: only the tick budget changes, no timer syscall.
  store volatile i64 %ticks, ptr %stk
  %r1 = call i32 @nj_guard_call(ptr %fn, ptr %slots)
  store volatile i64 %old_ticks, ptr %stk
  ret i32 %r1
slow:
  call void @nj_guard_set_watchdog(i64 %ticks, i64 %period)
  %r2 = call i32 @nj_guard_call(ptr %fn, ptr %slots)
  ; A thread that never chose a setting (period 0) keeps this one: restoring "nothing" would
  ; cost two timer syscalls on every later call.
  %unset = icmp eq i64 %old_period, 0
  br i1 %unset, label %adopt, label %restore
adopt:
  ret i32 %r2
restore:
  call void @nj_guard_set_watchdog(i64 %old_ticks, i64 %old_period)
  ret i32 %r2
}

; i32 nj_guard_call_cell(cell): the same for ctypes callers, which pay per argument (one
; pointer instead of two, ~100 ns less). cell = {ptr fn, ptr slots, i64 ticks, i64 period}.
define i32 @nj_guard_call_cell(ptr %cell) {
entry:
  %fn = load ptr, ptr %cell
  %sp = getelementptr i8, ptr %cell, i64 8
  %slots = load ptr, ptr %sp
  %tp = getelementptr i8, ptr %cell, i64 16
  %ticks = load i64, ptr %tp
  %pp = getelementptr i8, ptr %cell, i64 24
  %period = load i64, ptr %pp
  %r = call i32 @nj_guard_call_with(ptr %fn, ptr %slots, i64 %ticks, i64 %period)
  ret i32 %r
}

; Record a fault in the state and jump back to the innermost guard.
define internal void @nj_unwind(ptr %st, ptr %jb, i32 %code, i32 %sig, ptr %info, ptr %uc) #1 {
entry:
  %sigp = getelementptr i64, ptr %st, i64 ${F_SIG}
  %sig64 = sext i32 %sig to i64
  store volatile i64 %sig64, ptr %sigp
  %hasinfo = icmp ne ptr %info, null
  br i1 %hasinfo, label %siginfo, label %regs
siginfo:
  %codep = getelementptr i8, ptr %info, i64 8
  %sicode = load i32, ptr %codep
  %sicode64 = sext i32 %sicode to i64
  %cp = getelementptr i64, ptr %st, i64 ${F_CODE}
  store volatile i64 %sicode64, ptr %cp
  %addrp = getelementptr i8, ptr %info, i64 16
  %addr = load i64, ptr %addrp
  %ap = getelementptr i64, ptr %st, i64 ${F_ADDR}
  store volatile i64 %addr, ptr %ap
  br label %regs
regs:
  %hasuc = icmp ne ptr %uc, null
  br i1 %hasuc, label %copy, label %jump
copy:
  %gregs = getelementptr i8, ptr %uc, i64 40
  %dst = getelementptr i64, ptr %st, i64 ${F_GREGS}
  call void @llvm.memcpy.p0.p0.i64(ptr %dst, ptr %gregs, i64 ${GREGS_BYTES}, i1 false)
  br label %jump
jump:
  %fp = getelementptr i64, ptr %st, i64 ${F_FAULTS}
  %f = load volatile i64, ptr %fp
  %f1 = add i64 %f, 1
  store volatile i64 %f1, ptr %fp
  call void @siglongjmp(ptr %jb, i32 %code) #1
  unreachable
}

; nj_fail(site, a, b): a failed neurojit.check. No signal: record and longjmp.
define void @nj_fail(i64 %site, i64 %a, i64 %b) #2 {
entry:
  %key = load i32, ptr @nj_key
  %st = call ptr @pthread_getspecific(i32 %key)
  %nost = icmp eq ptr %st, null
  br i1 %nost, label %unguarded, label %check
check:
  %jmpp = getelementptr i64, ptr %st, i64 ${F_JMP}
  %jb = load volatile ptr, ptr %jmpp
  %nojb = icmp eq ptr %jb, null
  br i1 %nojb, label %unguarded, label %record
record:
  %sp = getelementptr i64, ptr %st, i64 ${F_SITE}
  store volatile i64 %site, ptr %sp
  %ap = getelementptr i64, ptr %st, i64 ${F_A}
  store volatile i64 %a, ptr %ap
  %bp = getelementptr i64, ptr %st, i64 ${F_B}
  store volatile i64 %b, ptr %bp
  %cp = getelementptr i64, ptr %st, i64 ${F_CODE}
  store volatile i64 0, ptr %cp
  %adp = getelementptr i64, ptr %st, i64 ${F_ADDR}
  store volatile i64 0, ptr %adp
  call void @nj_unwind(ptr %st, ptr %jb, i32 ${NJ_FAIL_CODE}, i32 0, ptr null, ptr null)
  unreachable
unguarded:
  %w = call i64 @write(i32 2, ptr @nj_unguarded_msg, i64 ${MSG_LEN})
  call void @abort()
  unreachable
}

; Is `pc` inside a file-backed executable mapping (libc, libm, python, ...)?
define internal i1 @nj_pc_in_native_library(i64 %pc) {
entry:
  %n = load volatile i64, ptr @nj_nranges
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %next ]
  %more = icmp ult i64 %i, %n
  br i1 %more, label %body, label %no
body:
  %lop = getelementptr [2 x i64], ptr @nj_ranges, i64 %i, i64 0
  %lo = load volatile i64, ptr %lop
  %hip = getelementptr [2 x i64], ptr @nj_ranges, i64 %i, i64 1
  %hi = load volatile i64, ptr %hip
  %ge = icmp uge i64 %pc, %lo
  %lt = icmp ult i64 %pc, %hi
  %in = and i1 %ge, %lt
  %i1 = add i64 %i, 1
  br i1 %in, label %yes, label %next
next:
  br label %loop
yes:
  ret i1 true
no:
  ret i1 false
}

; A watchdog tick on this thread.
define internal void @nj_tick(ptr %st, i32 %sig, ptr %info, ptr %uc) {
entry:
  %depthp = getelementptr i64, ptr %st, i64 ${F_DEPTH}
  %d = load volatile i64, ptr %depthp
  %jmpp = getelementptr i64, ptr %st, i64 ${F_JMP}
  %jb = load volatile ptr, ptr %jmpp
  %idle = icmp eq i64 %d, 0
  %nojb = icmp eq ptr %jb, null
  %noguard = or i1 %idle, %nojb
  %idlep = getelementptr i64, ptr %st, i64 ${F_IDLE_TICKS}
  br i1 %noguard, label %idle_tick, label %busy_tick
idle_tick:
  %it = load volatile i64, ptr %idlep
  %it1 = add i64 %it, 1
  store volatile i64 %it1, ptr %idlep
  %enough = icmp uge i64 %it1, 2
  br i1 %enough, label %stop, label %out
stop:
  store volatile i64 0, ptr %idlep
  %tsp = getelementptr i64, ptr %st, i64 ${F_TIMER_STATE}
  %ts = load volatile i64, ptr %tsp
  %running = icmp eq i64 %ts, 2
  br i1 %running, label %stop_timer, label %out
stop_timer:
  store volatile i64 1, ptr %tsp
  call void @nj_timer_set(ptr %st, i64 0, i64 0)
  br label %out
busy_tick:
  store volatile i64 0, ptr %idlep
  %seqp = getelementptr i64, ptr %st, i64 ${F_SEQ}
  %seq = load volatile i64, ptr %seqp
  %wsp = getelementptr i64, ptr %st, i64 ${F_WATCH_SEQ}
  %ws = load volatile i64, ptr %wsp
  %wtp = getelementptr i64, ptr %st, i64 ${F_WATCH_TICKS}
  %same = icmp eq i64 %seq, %ws
  br i1 %same, label %count, label %first
first:
  store volatile i64 %seq, ptr %wsp
  store volatile i64 1, ptr %wtp
  br label %out
count:
  %wt = load volatile i64, ptr %wtp
  %wt1 = add i64 %wt, 1
  store volatile i64 %wt1, ptr %wtp
  %tk = getelementptr i64, ptr %st, i64 ${F_TICKS}
  %ticks = load volatile i64, ptr %tk
  %on = icmp ne i64 %ticks, 0
  %over = icmp ugt i64 %wt1, %ticks
  %expired = and i1 %on, %over
  br i1 %expired, label %expired_bb, label %out
expired_bb:
  %ripp = getelementptr i8, ptr %uc, i64 ${RIP_OFFSET}
  %rip = load i64, ptr %ripp
  %inlib = call i1 @nj_pc_in_native_library(i64 %rip)
  br i1 %inlib, label %defer, label %timeout
defer:
  ; Never longjmp out of libc: the next tick tries again.
  %dp = getelementptr i64, ptr %st, i64 ${F_DEFERRED}
  %dv = load volatile i64, ptr %dp
  %dv1 = add i64 %dv, 1
  store volatile i64 %dv1, ptr %dp
  ; Retry soon (not a whole period later), at a varying delay so that a loop spending most
  ; of its time in libc is not sampled in lockstep: 50 us + (n mod 16) * 37 us.
  %slot = urem i64 %dv1, 16
  %jitter = mul i64 %slot, 37000
  %retry = add i64 %jitter, 50000
  %pp = getelementptr i64, ptr %st, i64 ${F_PERIOD}
  %period = load volatile i64, ptr %pp
  call void @nj_timer_set(ptr %st, i64 %retry, i64 %period)
  br label %out
timeout:
  call void @nj_unwind(ptr %st, ptr %jb, i32 %sig, i32 %sig, ptr %info, ptr %uc)
  unreachable
out:
  ret void
}

; The SA_SIGINFO handler for SIGFPE, SIGSEGV, SIGBUS, SIGILL and the watchdog signal.
define void @nj_signal(i32 %sig, ptr %info, ptr %uc) {
entry:
  %key = load i32, ptr @nj_key
  %st = call ptr @pthread_getspecific(i32 %key)
  %hasst = icmp ne ptr %st, null
  %tsig = load i32, ptr @nj_timer_sig
  %istick = icmp eq i32 %sig, %tsig
  br i1 %istick, label %tick, label %fault
tick:
  br i1 %hasst, label %dotick, label %out
dotick:
  call void @nj_tick(ptr %st, i32 %sig, ptr %info, ptr %uc)
  br label %out
fault:
  br i1 %hasst, label %guarded_q, label %chain
guarded_q:
  %jmpp = getelementptr i64, ptr %st, i64 ${F_JMP}
  %jb = load volatile ptr, ptr %jmpp
  %depthp = getelementptr i64, ptr %st, i64 ${F_DEPTH}
  %d = load volatile i64, ptr %depthp
  %hasjb = icmp ne ptr %jb, null
  %indepth = icmp ne i64 %d, 0
  %guarded = and i1 %hasjb, %indepth
  br i1 %guarded, label %unwind, label %chain
unwind:
  %sitep = getelementptr i64, ptr %st, i64 ${F_SITE}
  store volatile i64 0, ptr %sitep
  call void @nj_unwind(ptr %st, ptr %jb, i32 %sig, i32 %sig, ptr %info, ptr %uc)
  unreachable
chain:
  ; Not ours: hand the fault to whoever was installed before us (faulthandler, default).
  %prev = getelementptr [65 x [${SIGACTION_BYTES} x i8]], ptr @nj_prev_actions, i64 0, i32 %sig
  %h = load ptr, ptr %prev
  %hi = ptrtoint ptr %h to i64
  %isdfl = icmp eq i64 %hi, 0
  br i1 %isdfl, label %default, label %notdfl
default:
  ; Restore the default action and re-raise: the process dies as it would have without us.
  %r0 = call i32 @sigaction(i32 %sig, ptr %prev, ptr null)
  %r1 = call i32 @raise(i32 %sig)
  br label %out
notdfl:
  %isign = icmp eq i64 %hi, 1
  br i1 %isign, label %out, label %call_prev
call_prev:
  %flagsp = getelementptr i8, ptr %prev, i64 136
  %flags = load i32, ptr %flagsp
  %si = and i32 %flags, ${SA_SIGINFO}
  %hassi = icmp ne i32 %si, 0
  br i1 %hassi, label %call3, label %call1
call3:
  call void %h(i32 %sig, ptr %info, ptr %uc)
  br label %out
call1:
  call void %h(i32 %sig)
  br label %out
out:
  ret void
}

attributes #0 = { returns_twice }
attributes #1 = { noreturn nounwind }
attributes #2 = { noreturn nounwind cold noinline }
!0 = !{!"branch_weights", i32 2000, i32 1}
!1 = !{!"branch_weights", i32 1, i32 2000}
