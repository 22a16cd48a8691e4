"""The commands, by group: finding facts, describing the base, curating it."""
