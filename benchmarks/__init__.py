"""Benchmarks: scripts that measure and print numbers (never run by the test suite)."""
