"""`python -m zhashui_cli` runs the zhashui command."""

from . import main

main()
