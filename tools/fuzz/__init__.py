"""Fuzzers and adversarial suites for NeuroJIT's untrusted inputs (see docs/fuzzing.md)."""
