// Lunar Lander: the physics step and the autopilot, in MLIR.
//
// The state is a memref<4xf64>: [0] altitude (m), [1] vertical velocity (m/s, up is
// positive), [2] fuel (kg), [3] mission time (s). A Python driver (driver.py) calls
// @initial_state once, then @autopilot and @physics_step once per step; @main flies the
// same flight natively and returns the outcome (1 landed, 2 crashed, 0 still flying).
//
// The default flight starts with a pop-up hop: 400 m up, climbing at 15 m/s. At the top
// of the hop the descent speed is below 1 m/s, and @autopilot has a latent bug there (see
// the comment on %ttd).

// Braking gain (m/s^2 per m/s of descent speed), indexed by whole seconds to touchdown.
// Few seconds left: brake hard; many: let gravity do the work.
memref.global "private" constant @thrust_table : memref<16xf64> = dense<[0.45, 0.45, 0.4, 0.2667, 0.2, 0.16, 0.1333, 0.1143, 0.1, 0.0889, 0.08, 0.0727, 0.0667, 0.0615, 0.0571, 0.0533]>

// Vehicle constants, shared by the autopilot's model and the physics.
func.func private @dry_mass() -> f64 {
  %m = arith.constant 2000.0 : f64
  return %m : f64
}

func.func private @max_thrust() -> f64 {
  %t = arith.constant 8000.0 : f64
  return %t : f64
}

func.func private @gravity() -> f64 {
  %g = arith.constant 1.62 : f64
  return %g : f64
}

// The default scenario.
func.func @initial_state(%s: memref<4xf64>) {
  %i0 = arith.constant 0 : index
  %i1 = arith.constant 1 : index
  %i2 = arith.constant 2 : index
  %i3 = arith.constant 3 : index
  %alt = arith.constant 400.0 : f64
  %vel = arith.constant 15.0 : f64
  %fuel = arith.constant 500.0 : f64
  %time = arith.constant 0.0 : f64
  memref.store %alt, %s[%i0] : memref<4xf64>
  memref.store %vel, %s[%i1] : memref<4xf64>
  memref.store %fuel, %s[%i2] : memref<4xf64>
  memref.store %time, %s[%i3] : memref<4xf64>
  return
}

// Throttle in [0, 1] for the next step. Climbing: engine off. Descending: hold 65% of the
// weight and brake in proportion to the descent speed, with a gain from @thrust_table
// picked by the estimated time to touchdown.
func.func @autopilot(%alt: f64, %vel: f64, %fuel: f64) -> f64 {
  %zero = arith.constant 0.0 : f64
  %climbing = arith.cmpf oge, %vel, %zero : f64
  %throttle = scf.if %climbing -> (f64) {
    scf.yield %zero : f64
  } else {
    %speed = arith.subf %zero, %vel : f64
    // Time to touchdown in whole seconds, in integer arithmetic because it indexes the
    // table. Latent bug: the climbing case is excluded above, but a descent slower than
    // 1 m/s still truncates to a speed of 0 m/s, and the division traps.
    %alt_m = arith.fptosi %alt : f64 to i64
    %speed_ms = arith.fptosi %speed : f64 to i64
    %ttd = arith.divsi %alt_m, %speed_ms : i64
    %c0 = arith.constant 0 : i64
    %c15 = arith.constant 15 : i64
    %below = arith.cmpi slt, %ttd, %c0 : i64
    %lo = arith.select %below, %c0, %ttd : i64
    %above = arith.cmpi sgt, %lo, %c15 : i64
    %slot = arith.select %above, %c15, %lo : i64
    %idx = arith.index_cast %slot : i64 to index
    %table = memref.get_global @thrust_table : memref<16xf64>
    %gain = memref.load %table[%idx] : memref<16xf64>
    %dry = func.call @dry_mass() : () -> f64
    %mass = arith.addf %dry, %fuel : f64
    %g = func.call @gravity() : () -> f64
    %share = arith.constant 0.65 : f64
    %hold = arith.mulf %share, %g : f64
    %brake = arith.mulf %speed, %gain : f64
    %accel = arith.addf %hold, %brake : f64
    %force = arith.mulf %mass, %accel : f64
    %tmax = func.call @max_thrust() : () -> f64
    %raw = arith.divf %force, %tmax : f64
    %one = arith.constant 1.0 : f64
    %over = arith.cmpf ogt, %raw, %one : f64
    %capped = arith.select %over, %one, %raw : f64
    %under = arith.cmpf olt, %capped, %zero : f64
    %t = arith.select %under, %zero, %capped : f64
    scf.yield %t : f64
  }
  return %throttle : f64
}

// Advance the state by %dt seconds at %throttle. Returns 0 while flying, 1 after a safe
// touchdown (at most 3 m/s), 2 after a crash.
func.func @physics_step(%s: memref<4xf64>, %throttle: f64, %dt: f64) -> i64 {
  %i0 = arith.constant 0 : index
  %i1 = arith.constant 1 : index
  %i2 = arith.constant 2 : index
  %i3 = arith.constant 3 : index
  %alt = memref.load %s[%i0] : memref<4xf64>
  %vel = memref.load %s[%i1] : memref<4xf64>
  %fuel = memref.load %s[%i2] : memref<4xf64>
  %time = memref.load %s[%i3] : memref<4xf64>
  %zero = arith.constant 0.0 : f64
  %has_fuel = arith.cmpf ogt, %fuel, %zero : f64
  %tmax = func.call @max_thrust() : () -> f64
  %want = arith.mulf %throttle, %tmax : f64
  %thrust0 = arith.select %has_fuel, %want, %zero : f64
  // Exhaust velocity 3000 m/s: mass flow = thrust / 3000.
  %ve = arith.constant 3000.0 : f64
  %flow = arith.divf %thrust0, %ve : f64
  %burn0 = arith.mulf %flow, %dt : f64
  // The last drops of fuel give only their share of the step's thrust.
  %short = arith.cmpf ogt, %burn0, %fuel : f64
  %burn = arith.select %short, %fuel, %burn0 : f64
  %part = arith.mulf %thrust0, %fuel : f64
  %part_thrust = arith.divf %part, %burn0 : f64
  %thrust = arith.select %short, %part_thrust, %thrust0 : f64
  %dry = func.call @dry_mass() : () -> f64
  %mass = arith.addf %dry, %fuel : f64
  %push = arith.divf %thrust, %mass : f64
  %g = func.call @gravity() : () -> f64
  %accel = arith.subf %push, %g : f64
  %dv = arith.mulf %accel, %dt : f64
  %vel1 = arith.addf %vel, %dv : f64
  %dh = arith.mulf %vel1, %dt : f64
  %alt1 = arith.addf %alt, %dh : f64
  %fuel1 = arith.subf %fuel, %burn : f64
  %time1 = arith.addf %time, %dt : f64
  %down = arith.cmpf ole, %alt1, %zero : f64
  %alt2 = arith.select %down, %zero, %alt1 : f64
  memref.store %alt2, %s[%i0] : memref<4xf64>
  memref.store %vel1, %s[%i1] : memref<4xf64>
  memref.store %fuel1, %s[%i2] : memref<4xf64>
  memref.store %time1, %s[%i3] : memref<4xf64>
  %impact = math.absf %vel1 : f64
  %limit = arith.constant 3.0 : f64
  %gentle = arith.cmpf ole, %impact, %limit : f64
  %flying = arith.constant 0 : i64
  %landed = arith.constant 1 : i64
  %crashed = arith.constant 2 : i64
  %outcome = arith.select %gentle, %landed, %crashed : i64
  %status = arith.select %down, %outcome, %flying : i64
  return %status : i64
}

// The whole default flight, natively: at most 2000 steps of 0.5 s.
func.func @main() -> i64 {
  %s = memref.alloca() : memref<4xf64>
  func.call @initial_state(%s) : (memref<4xf64>) -> ()
  %i0 = arith.constant 0 : index
  %i1 = arith.constant 1 : index
  %i2 = arith.constant 2 : index
  %dt = arith.constant 0.5 : f64
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %max_steps = arith.constant 2000 : i64
  %r:2 = scf.while (%status = %c0, %n = %c0) : (i64, i64) -> (i64, i64) {
    %flying = arith.cmpi eq, %status, %c0 : i64
    %more = arith.cmpi slt, %n, %max_steps : i64
    %go = arith.andi %flying, %more : i1
    scf.condition(%go) %status, %n : i64, i64
  } do {
  ^bb0(%st: i64, %k: i64):
    %alt = memref.load %s[%i0] : memref<4xf64>
    %vel = memref.load %s[%i1] : memref<4xf64>
    %fuel = memref.load %s[%i2] : memref<4xf64>
    %thr = func.call @autopilot(%alt, %vel, %fuel) : (f64, f64, f64) -> f64
    %st1 = func.call @physics_step(%s, %thr, %dt) : (memref<4xf64>, f64, f64) -> i64
    %k1 = arith.addi %k, %c1 : i64
    scf.yield %st1, %k1 : i64, i64
  }
  return %r#0 : i64
}
