"""Command line: serve the simulator until SIGTERM or SIGINT (PYTHONPATH=tests python -m simulator --help)."""

import argparse
import json
import os
import signal
import sys
import tempfile
import threading

from . import scenarios
from .controller import Simulator


def _fault(text):
    try:
        fault = json.loads(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError("--fault needs a JSON object: %s" % exc) from exc
    if not isinstance(fault, dict):
        raise argparse.ArgumentTypeError("--fault needs a JSON object, got %s" % text)
    return fault


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m simulator", description="ThousandEyes v7 Usage API simulator (127.0.0.1 only).")
    parser.add_argument("--scenario", default="default", help="scenario name (%s) or path to a JSON file" % ", ".join(scenarios.available()))
    parser.add_argument("--port", type=int, default=0, help="port to bind; 0 picks a free one (default)")
    parser.add_argument("--rate-limit", type=int, default=240, help="requests per window per organization (default 240)")
    parser.add_argument("--rate-window", type=float, default=60.0, help="rate window in seconds (default 60)")
    parser.add_argument("--port-file", help="write the bound port number to this file (atomically)")
    parser.add_argument("--fault", action="append", type=_fault, default=[], help="scenario-wide fault as JSON; may repeat")
    parser.add_argument("--page-size", type=int, default=100, help="rows per page of the units endpoints (default 100)")
    parser.add_argument("--verbose", action="store_true", help="log each request and handler errors to stderr")
    return parser.parse_args(argv)


def write_port_file(path, port):
    """Write to a temporary file in the same directory, then rename, so readers never see half a file."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, tmp = tempfile.mkstemp(prefix=".port-", dir=directory)
    try:
        with os.fdopen(handle, "w") as stream:
            stream.write("%d\n" % port)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def main(argv=None):
    args = parse_args(argv)
    try:
        sim = Simulator(scenario=args.scenario, rate_limit=args.rate_limit, rate_window=args.rate_window,
                        port=args.port, faults=args.fault, verbose=args.verbose, page_size=args.page_size)
    except ValueError as exc:
        sys.stderr.write("simulator: %s\n" % exc)
        return 2
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stopping.set())
    signal.signal(signal.SIGINT, lambda signum, frame: stopping.set())
    try:
        sim.start()
    except OSError as exc:
        sys.stderr.write("simulator: cannot listen on 127.0.0.1:%d: %s\n" % (args.port, exc))
        return 1
    try:
        if args.port_file:
            write_port_file(args.port_file, sim.port)
        sys.stdout.write("ThousandEyes API simulator listening on %s (scenario %s)\n" % (sim.url, sim.scenario))
        sys.stdout.flush()
        # Wake up regularly so the signal handlers run promptly on every Python version.
        while not stopping.wait(0.2):
            pass
    finally:
        sim.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
