"""The fact file (cold): strict YAML, its fields, its parser and rules, its types and units."""
