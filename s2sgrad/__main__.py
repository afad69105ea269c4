"""`python -m s2sgrad show|run|graph ...`"""
import sys

from .cli import main

sys.exit(main())
