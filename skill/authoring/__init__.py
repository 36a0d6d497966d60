"""Build-time tools: what `make model` runs. Never imported by a door at run time."""
