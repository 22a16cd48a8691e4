"""The search index: the text rules it is built with, its build (cold), its reading and cache."""
