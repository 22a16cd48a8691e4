"""Machine formats: JSON, JSON Lines, CSV, YAML, Markdown and tab-separated lines for pipes."""
