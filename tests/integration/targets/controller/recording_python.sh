#!/bin/sh
# The Python interpreter of the inventory host jumphost. Appends one line per call to $TE_INTERPRETER_LOG (its
# arguments: the AnsiballZ payload, which names the module), then runs the real Python, $TE_REAL_PYTHON.
printf 'ran %s\n' "$*" >> "${TE_INTERPRETER_LOG:?}"
exec "${TE_REAL_PYTHON:?}" "$@"
