"""Benchmarks of idxc against hand-written SQL, pandas, polars and a scan floor.

    python -m bench --help
"""
