"""From the checked model to the plan: built-ins expanded (lower), heavy functions laid
out long (stack), sensitivity's draws (draws), then the plan itself (`plan.py` above,
with pipes: a grain's steps in layers, row_origins: where an output's rows come from,
stacked: a stack's steps and a treatment's) in the intermediate form of planning/steps.py, rewritten by
the passes (planning/passes/)."""
