"""The worker's pure core: from what was read to what to write, with no I/O and no clock."""
