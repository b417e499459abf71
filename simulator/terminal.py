"""The terminal front-end (`python -m simulator`): a thin layer over the public `Cluster` API.

Interactive: a `rollout-lab$ ` prompt with readline history and Tab completion (`Cluster.complete`);
simulated time follows wall time × speed (it catches up before each command and ticks while a
command runs), Ctrl+C cancels a running watch/blocking command and Ctrl+D exits.
Script (`--script FILE`): each line is echoed as `$ line` and run to completion in simulated time;
`# advance N` lets N simulated seconds pass; the exit code is the last command's.
Nothing here reads a wall clock on the simulator's behalf: this module only decides how much
simulated time to hand to `Cluster.advance`.
"""
from __future__ import annotations

import os
import re
import signal
import sys
import time
from typing import Callable, TextIO

from . import Cluster

PROMPT = "rollout-lab$ "
TICK = 0.05  # wall seconds between polls of a running command
CLEAR = "\x1b[H\x1b[2J"
_ADVANCE = re.compile(r"#\s*advance\s+(\S+)\s*$")
_DURATION = re.compile(r"(\d+(?:\.\d*)?|\.\d+)([smh]?)")
MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


def parse_seconds(text: str) -> float | None:
    """`30`, `1.5`, `30s`, `2m`, `1h` → seconds; None when it is not a duration."""
    m = _DURATION.fullmatch(text)
    if not m:
        return None
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[m.group(2)]


def load_files(cluster: Cluster, directory: str, err: TextIO) -> int:
    """Copy DIR's *.yaml / *.yml / *.json into the working directory; returns how many loaded."""
    try:
        names = sorted(os.listdir(directory))
    except OSError as e:
        err.write(f"rollout-lab: {directory}: {e.strerror}\n")
        return -1
    count = 0
    for name in names:
        path = os.path.join(directory, name)
        if not name.endswith(MANIFEST_SUFFIXES) or not os.path.isfile(path):
            continue
        try:
            with open(path, encoding="utf-8") as fh:
                cluster.files[name] = fh.read()
            count += 1
        except (OSError, UnicodeDecodeError, ValueError) as e:  # ValueError: LimitExceeded, bad name
            err.write(f"rollout-lab: {path}: {e}\n")
    return count


class Terminal:
    def __init__(self, cluster: Cluster, *, speed: float = 1.0, out: TextIO | None = None,
                 err: TextIO | None = None, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        if not speed > 0:
            raise ValueError("speed must be positive")
        self.cluster = cluster
        self.speed = float(speed)
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.clock = clock
        self.sleep = sleep
        self.exit_code = 0
        self._interrupted = False
        self._wall = clock()

    # ---- output ---------------------------------------------------------------------------------
    def _write(self, stream: TextIO, text: str) -> None:
        if text:
            stream.write(text)
            stream.flush()

    def _ctrl_c_echo(self) -> str:
        # a terminal (echoctl) has already shown ^C itself; anywhere else we show it
        try:
            return "\n" if self.out.isatty() else "^C\n"
        except (AttributeError, ValueError):
            return "^C\n"

    def _emit(self, proc, seen: int) -> int:
        """Write the command's new chunks to stdout/stderr; returns how many chunks are written."""
        chunks = proc.chunks[seen:]
        for which, text in chunks:
            self._write(self.out if which == "out" else self.err, text)
        return seen + len(chunks)

    # ---- real-time clock ------------------------------------------------------------------------
    def sync(self) -> None:
        """Hand the wall time elapsed since the last sync (× speed) to the simulated clock."""
        now = self.clock()
        elapsed, self._wall = max(0.0, now - self._wall), now
        if elapsed:
            self.cluster.advance(elapsed * self.speed)

    # ---- one command, live ----------------------------------------------------------------------
    def run_live(self, line: str) -> int:
        """Run a line against the real-time clock; Ctrl+C cancels it (exit 130)."""
        self.sync()
        proc = self.cluster.start(line)
        seen = self._emit(proc, 0)
        # SIGINT only sets a flag while a command runs, so Ctrl+C never lands inside Cluster.advance
        self._interrupted = False
        previous = self._catch_sigint()
        try:
            while not proc.done and not self._interrupted:
                self.sleep(TICK)
                if self._interrupted:
                    break
                self.sync()
                seen = self._emit(proc, seen)
        except KeyboardInterrupt:  # raised by an injected sleep, or before the handler was in place
            self._interrupted = True
        finally:
            if previous is not None:
                signal.signal(signal.SIGINT, previous)
        if self._interrupted and not proc.done:
            proc.cancel()
            seen = self._emit(proc, seen)
            self._write(self.out, self._ctrl_c_echo())
        self._emit(proc, seen)
        if proc.clear_screen:
            self._write(self.out, CLEAR)
        self.exit_code = proc.exit_code if proc.exit_code is not None else 0
        return self.exit_code

    def _catch_sigint(self):
        def handler(signum, frame):
            self._interrupted = True

        try:
            return signal.signal(signal.SIGINT, handler)
        except ValueError:  # not the main thread: KeyboardInterrupt handling only
            return None

    # ---- interactive loop -----------------------------------------------------------------------
    def interactive(self, read_line: Callable[[str], str] = input) -> int:
        """Prompt, run, repeat. Ctrl+C at the prompt starts a fresh line; Ctrl+D or `exit` ends."""
        while True:
            try:
                line = read_line(PROMPT)
            except EOFError:
                self._write(self.out, "\n")
                return self.exit_code
            except KeyboardInterrupt:
                self._write(self.out, self._ctrl_c_echo())
                self.exit_code = 130
                continue
            words = line.split()
            if words[:1] in (["exit"], ["logout"]):
                if len(words) > 1:
                    try:
                        return int(words[1]) & 0xFF
                    except ValueError:
                        self._write(self.err, f"exit: {words[1]}: numeric argument required\n")
                        return 2
                return self.exit_code
            if not line.strip():
                continue
            self.run_live(line)

    # ---- script ---------------------------------------------------------------------------------
    def run_script(self, lines: list[str]) -> int:
        """Echo and run each line in simulated time; `# advance N` lets N seconds pass."""
        for number, raw in enumerate(lines, 1):
            line = raw.rstrip("\r\n")
            stripped = line.strip()
            if not stripped:
                continue
            if stripped.startswith("#"):
                m = _ADVANCE.match(stripped)
                if m:
                    seconds = parse_seconds(m.group(1))
                    if seconds is None:
                        self._write(self.err, f"rollout-lab: line {number}: invalid duration {m.group(1)!r}\n")
                        self.exit_code = 2
                    else:
                        self.cluster.advance(seconds)
                continue
            self._write(self.out, f"$ {line}\n")
            result = self.cluster.run(line)
            self._write(self.out, result.stdout)
            self._write(self.err, result.stderr)
            self.exit_code = result.exit_code
        return self.exit_code


# ---- readline glue (only when stdin is a terminal) -----------------------------------------------

HISTORY_FILE = os.path.join(os.path.expanduser("~"), ".rollout_lab_history")


def readline_completer(cluster: Cluster, buffer: Callable[[], str]):
    """A readline completer: candidates for the word before the cursor, from Cluster.complete."""
    cache: dict = {}

    def complete(text: str, state: int):
        line = buffer()
        if state == 0:
            cache["items"] = cluster.complete(line)
        items = cache.get("items") or []
        return items[state] if state < len(items) else None

    return complete


def setup_readline(cluster: Cluster) -> Callable[[], None]:
    """History (persisted to ~/.rollout_lab_history) and Tab completion; returns a save function."""
    try:
        import readline
    except ImportError:  # pragma: no cover - e.g. Windows without pyreadline
        return lambda: None
    readline.set_completer_delims(" \t\n")
    readline.set_completer(readline_completer(
        cluster, lambda: readline.get_line_buffer()[: readline.get_endidx()]))
    if "libedit" in (readline.__doc__ or ""):  # macOS
        readline.parse_and_bind("bind ^I rl_complete")
    else:
        readline.parse_and_bind("tab: complete")
    try:
        readline.read_history_file(HISTORY_FILE)
    except OSError:
        pass
    readline.set_history_length(1000)

    def save():
        try:
            readline.write_history_file(HISTORY_FILE)
        except OSError:
            pass

    return save
