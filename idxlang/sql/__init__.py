"""SQL as sqlglot trees, for every stage that speaks it: small builders and the printer
(trees), named windows (windows), and what each engine takes (dialects)."""
