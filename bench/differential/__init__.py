"""Differential testing of idxc with generated programs, as Csmith and SQLancer do.

- `specs.cases()`: a hypothesis strategy of valid specs with data (data/checks.py: axes and
  tables; exprs.py: well-grained expressions of every built-in family; values.py: which
  values are exact, so that only real differences are reported).
- `files.py`: the data as files, in the tables' layouts and formats.
- `oracle.run_case()`: idxc (all outputs together) against the reference interpreter
  (idxlang.reference, when present) and against idxc itself: each output alone, no
  shared steps, default-layout Parquet copies of the data; plus output invariants.
- `compare.py`: frames compared cell by cell, with its tolerance stated.
- `tools/report.py`: signatures that group one bug's cases, and readable reports.
- `campaign.py`, `__main__.py`: `python -m bench.differential --cases 10000 [--seed N]
  [--save DIR]`; `replay.py`: a saved case folder run again (tests/test_differential.py).
"""
