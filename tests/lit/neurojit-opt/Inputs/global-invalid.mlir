// expected-error @+1 {{unknown symbol visibility "secret"}}
memref.global "secret" @a : memref<2xi64> = dense<0>
// -----
// expected-error @+1 {{memref.global needs a memref type, got i64}}
memref.global @b : i64 = dense<0>
// -----
// expected-error @+1 {{Shape mismatch in dense literal. Expected [2] shape}}
memref.global @c : memref<2xi64> = dense<[1, 2, 3]>
// -----
// expected-error @+1 {{Alignment attribute 3 is not a power of 2}}
memref.global @d : memref<2xi64> = uninitialized {alignment = 3 : i64}
