"""What a spec means: its names declared (declare), the checked model every later stage
reads (model: names resolved, a grain on every expression), the periods of a time axis
(calendar), frameworks read from metadata (frameworks), the names the compiler makes up
(names), and the model as text in the spec's notation (pretty)."""
