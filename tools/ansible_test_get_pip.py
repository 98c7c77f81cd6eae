"""Offline stand-in for ansible-test's pip bootstrap script (get-pip), whose download site is unreachable here.

ansible-test runs it inside each new venv as `get_pip_<version>.py <pip options> pip==X --no-setuptools --no-wheel`:
we install pip with ensurepip, then install the pinned packages from the configured package index.
"""
import subprocess
import sys

subprocess.check_call([sys.executable, '-m', 'ensurepip', '--default-pip'])
args = [arg for arg in sys.argv[1:] if arg not in ('--no-setuptools', '--no-wheel')]
subprocess.check_call([sys.executable, '-m', 'pip', 'install', '--quiet'] + args)
