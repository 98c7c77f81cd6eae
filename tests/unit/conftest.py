"""Shared pytest setup for the unit tests."""

import os
import sys

# Put tests/ on sys.path so `import simulator` finds the ThousandEyes API simulator (tests/simulator/).
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
