"""``python -m newsgold`` runs the command line."""

from .cli import run

run()
