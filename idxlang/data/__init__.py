"""The data a run reads and writes: sources (which file feeds which table), register
(files → DuckDB views, read as published), checks (the files against the spec),
formats (readers and writers), targets (where each output goes), outputs (written
whole or not at all)."""
