"""Exports of a fact base: a SQLite database (database.py) and a fact file (factfile.py), both
written beside their destination and renamed into place by the rules of target.py."""

from .database import sqlite
from .factfile import fact_file

__all__ = ["fact_file", "sqlite"]
