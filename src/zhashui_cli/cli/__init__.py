"""The command line: a client of the library (base.py), the only layer that prints and exits."""
