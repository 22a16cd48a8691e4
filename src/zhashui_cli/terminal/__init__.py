"""The terminal: its size, pager and progress; tables, results and charts drawn to its width."""
