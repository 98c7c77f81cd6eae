"""Stdlib-only HTTP simulator of the ThousandEyes v7 Usage API, for tests and demos."""

from .controller import Simulator

__all__ = ["Simulator"]
