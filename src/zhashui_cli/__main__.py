"""`python -m zhashui_cli` runs the zhashui command."""

from .cli import main

main()
