"""The `exoreview` command line: thin over the stages."""
