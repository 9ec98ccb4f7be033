"""What users and editors call beside `idxc run`: explain, decompose, diff, report (with
report_text, charts, mathml, framework_tree, pdf), analyse, sensitivity, fmt, debug,
lsp. Each reads the compiler's stages; nothing of the compiler reads them."""
