"""Search (warm and pure): the engine, the matching of words, filters and counts."""
