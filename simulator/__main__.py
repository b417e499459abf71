"""`python -m simulator`: Rollout Lab's console in a terminal (see simulator/terminal.py).

    python -m simulator [--seed N] [--speed X] [--files DIR] [--script FILE]
"""
from __future__ import annotations

import argparse
import sys

from . import Cluster
from .terminal import Terminal, load_files, setup_readline


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid speed: {text!r}")
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"speed must be a positive number, not {text!r}")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulator",
                                     description="Rollout Lab: a simulated Kubernetes cluster and kubectl in your terminal.")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the cluster (default 0)")
    parser.add_argument("--speed", type=_positive, default=1.0,
                        help="simulated seconds per wall-clock second in the interactive console (default 1)")
    parser.add_argument("--script", metavar="FILE",
                        help="run the lines of FILE (echoing `$ line`; `# advance N` lets N seconds pass), then exit")
    parser.add_argument("--files", metavar="DIR", help="load DIR's *.yaml / *.yml / *.json into the working directory")
    args = parser.parse_args(argv)

    cluster = Cluster(seed=args.seed)
    if args.files is not None and load_files(cluster, args.files, sys.stderr) < 0:
        return 2
    term = Terminal(cluster, speed=args.speed)
    if args.script is not None:
        try:
            with open(args.script, encoding="utf-8") as fh:
                lines = fh.readlines()
        except (OSError, UnicodeDecodeError) as e:
            sys.stderr.write(f"rollout-lab: {args.script}: {getattr(e, 'strerror', None) or e}\n")
            return 2
        return term.run_script(lines)
    save_history = setup_readline(cluster) if sys.stdin.isatty() else (lambda: None)
    if sys.stdin.isatty():
        sys.stdout.write("Rollout Lab — a simulated Kubernetes cluster. Type `help`, Tab completes, Ctrl+D exits.\n")
    try:
        return term.interactive()
    finally:
        save_history()


if __name__ == "__main__":
    sys.exit(main())
