"""Hardening tests: bad input, failures, security defaults, concurrency (issue 7)."""
