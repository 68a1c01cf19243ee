"""Benchmarks: run as `python -m bench.<name>` or `make bench`; not part of the test suite."""
