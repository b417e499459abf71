"""The public API: `Cluster` (DESIGN.md "The simulator"). Tests outside the project drive exactly
this; keep it stable.

    c = Cluster(seed=0); c.files["x.yaml"] = text; r = c.run("kubectl create -f x.yaml")
    c.advance(30); c.now; cmd = c.start("kubectl get pods -w"); cmd.read(); cmd.cancel()
    state = c.snapshot(); c2 = Cluster.restore(state); c.subscribe(callback)
"""
from __future__ import annotations

import datetime as _dt
import functools
import logging
from dataclasses import dataclass
from typing import Callable

from . import cpu_budget, limits, snapshot_codec
from .api.errors import KubeError, LimitExceeded
from .engine import Engine
from .kubectl.runtime import Context, Process
from .objects import clone

log = logging.getLogger(__name__)

SNAPSHOT_FORMAT = 1
# kubectl commands (canonical paths from kubectl/cli.parse) that never change the cluster, so no
# checkpoint (a full copy of the state) is needed before them: pkg/cmd/get, describe, explain,
# apiresources, version, clusterinfo, logs, top, config (the console's kubeconfig is not cluster
# state), rollout status/history (pkg/cmd/rollout/rollout_status.go, rollout_history.go).
_READ_ONLY_KUBECTL = {("get",), ("describe",), ("explain",), ("api-resources",), ("api-versions",),
                      ("version",), ("cluster-info",), ("logs",), ("rollout", "status"),
                      ("rollout", "history")}
_READ_ONLY_KUBECTL_GROUPS = {"config", "top", "cluster-info", "completion"}
# Shell words of the console (simulator/shell.py) that only read: files, help, text.
_READ_ONLY_SHELL = {"ls", "cat", "help", "echo", "clear", "true", "false", "sleep"}


def _read_only(line) -> bool:
    """Commands that cannot change the cluster need no checkpoint; decided from the parsed
    command (kubectl's own command tree), so flags anywhere (`kubectl -n x get`) or aliases
    (`k rollout history`) read the same. Anything unclear counts as a change."""
    if not isinstance(line, str) or len(line) > limits.MAX_COMMAND_BYTES:
        return False
    return _read_only_line(line)


@functools.lru_cache(maxsize=1024)
def _read_only_line(line: str) -> bool:
    """Cached: the answer depends on the line alone (the command tree is fixed), and learners
    type the same commands again and again; the parse is not paid twice per command."""
    from .kubectl import cli
    from .kubectl.commands.common import dry_run_mode

    try:
        words = cli.tokenize(line)
    except KubeError:
        return True  # not even tokenized: it runs nothing
    if not words:
        return True
    if "|" in words:
        return False
    if words[0] not in ("kubectl", "k"):
        return words[0] in _READ_ONLY_SHELL
    if len(words) == 1:
        return True
    try:
        inv = cli.parse(words[1:])
    except KubeError:
        return True  # a usage error: nothing runs
    if inv.wants_help or not inv.path:
        return True
    if inv.path in _READ_ONLY_KUBECTL or inv.path[0] in _READ_ONLY_KUBECTL_GROUPS:
        return True
    try:
        return "dry-run" in inv.flags and dry_run_mode(inv) == "client"
    except KubeError:
        return True  # an invalid --dry-run value: kubectl refuses before doing anything


@dataclass(frozen=True)
class RolloutStatus:
    """What `kubectl rollout status deployment/NAME` prints now (one line, without the newline),
    whether it would stop waiting (`done`), and whether it stopped with an error."""
    message: str
    done: bool
    error: bool = False


@dataclass(frozen=True)
class Result:
    stdout: str
    stderr: str
    exit_code: int

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@dataclass(frozen=True)
class EditResult(Result):
    """What Cluster.edit_finish returns: a Result, and when kubectl would reopen the editor (an
    invalid edit) the text to reopen it with and the token to finish that next pass."""
    reopen: str | None = None
    token: str | None = None


_QUOTING = str.maketrans("", "", "'\"\\\n")  # removed before looking for the word `edit`
MAX_OPEN_EDITS = 4  # edits waiting for the editor panel; older ones are forgotten


class EditProcess(Process):
    """`kubectl edit` started for a front-end with its own editor (Cluster.start_edit): a running
    command that waits for its editor. `editor` is {"text", "token"} while it waits; `save(text)`
    is the editor exiting with the saved text (kubectl applies it, or reopens the editor with the
    failures on top: `editor` then holds the new text), `cancel()` the editor quitting without
    saving (Ctrl+C). Simulated time passes while it waits (it is not blocking: no wake-up)."""

    def __init__(self, cluster: "Cluster", line: str, opened: dict):
        super().__init__(line)
        self._cluster = cluster
        self.editor: dict | None = {"text": opened["text"], "token": opened["token"]}
        if opened.get("stderr"):
            self.write("err", opened["stderr"])

    def save(self, text: str | None) -> None:
        if self.done or self.editor is None:
            return
        result = self._cluster.edit_finish(self.editor["token"], text)
        if result.stdout:
            self.write("out", result.stdout)
        if result.stderr:
            self.write("err", result.stderr)
        if result.reopen is not None:
            self.editor = {"text": result.reopen, "token": result.token}
            return
        self.editor = None
        self.finish(result.exit_code)

    def cancel(self) -> None:
        """The editor closed without saving: kubectl's "Edit cancelled, no changes made."."""
        self.save(None)


class Files(dict):
    """The learner's working directory: file name → text, with Rollout Lab's size caps."""

    MAX_FILE_BYTES = limits.MAX_FILE_BYTES  # what assignment checks, for front-ends to say it first
    MAX_FILES = limits.MAX_FILES

    def __setitem__(self, name, text):
        if not isinstance(name, str) or not name or len(name) > 255 or "\x00" in name or ".." in name.split("/"):
            raise LimitExceeded(f"invalid file name: {name!r}")
        if not isinstance(text, str):
            raise TypeError("file contents must be text")
        if len(text.encode("utf-8", "surrogatepass")) > limits.MAX_FILE_BYTES:
            raise LimitExceeded(f"{name}: files are limited to {limits.MAX_FILE_BYTES // 1024} KB")
        if name not in self and len(self) >= limits.MAX_FILES:
            raise LimitExceeded(f"the working directory is limited to {limits.MAX_FILES} files")
        super().__setitem__(name, text)

    def update(self, *args, **kwargs):
        for k, v in dict(*args, **kwargs).items():
            self[k] = v


class Cluster:
    def __init__(self, seed: int = 0, *, start: _dt.datetime | None = None):
        self._eng = Engine(seed, epoch=start)
        self._eng.bootstrap()
        self.files = Files()
        self.seed = seed
        self.history: list[dict] = []       # every command line the learner ran, with its outcome
        self.traffic: list[dict] = []       # HTTP answers seen through curl
        self._procs: list[Process] = []
        self._subscribers: list[Callable] = []
        self._edits: dict[str, dict] = {}
        self._edit_seq = 0
        self._eng.store.listen(self._observe)

    def _observe(self, etype: str, obj: dict) -> None:
        """Every object change, into the compact lives record that replay reads (view_at)."""
        self._eng.timeline.lives.observe(self._eng.now, etype, obj)

    # ---- time --------------------------------------------------------------------------------
    @property
    def now(self) -> float:
        return self._eng.now

    def advance(self, seconds: float) -> None:
        """Let `seconds` of simulated time pass; streaming commands see every change as it happens."""
        seconds = float(seconds)
        if not seconds >= 0:  # also refuses NaN
            raise ValueError("advance() needs a non-negative number of seconds")
        self._advance_to(self._eng.now + min(seconds, 10 * 365 * 86400.0))

    def next_due(self) -> float | None:
        """The next simulated time at which anything happens by itself (a controller timer, a
        kubelet step, a blocking command's wake-up), or None when the cluster would stay as it is
        forever. A front-end driving the clock from wall time can sleep until then; advancing by
        any amount before it changes nothing but `now`."""
        wakes = [p.wake for p in self._procs if p.blocking and p.wake is not None]
        return min([t for t in [self._eng.next_due(), *wakes] if t is not None], default=None)

    @property
    def busy(self) -> bool:
        """True while a started command still runs (`get -w`, `rollout status`, `sleep`...)."""
        return any(not p.done for p in self._procs)

    @property
    def changes(self) -> int:
        """A number that grows with every object written or deleted (the store's resourceVersion
        counter, kept in snapshots): a front-end compares it with the value it last rendered
        instead of subscribing to every watch event. Equal values mean the same objects."""
        return self._eng.store.resource_version

    def _advance_to(self, target: float) -> None:
        for _ in self._advance_steps(target):
            pass

    def advance_steps(self, seconds: float, batch: int = 50):
        """advance(seconds) in slices (Engine.advance_steps): a generator yielding the simulated
        time after each batch of timers, with the cluster consistent in between; running it to
        its end is exactly advance(seconds). A web session iterates it to let other learners'
        commands run during a long jump."""
        seconds = float(seconds)
        if not seconds >= 0:  # also refuses NaN
            raise ValueError("advance() needs a non-negative number of seconds")
        return self._advance_steps(self._eng.now + min(seconds, 10 * 365 * 86400.0), batch)

    def _advance_steps(self, target: float, batch: int = 50):
        eng = self._eng
        while True:
            due = eng.next_due()
            wakes = [p.wake for p in self._procs if p.blocking and p.wake is not None]
            nxt = min([t for t in [due, *wakes] if t is not None], default=None)
            if nxt is None or nxt > target:
                break
            yield from eng.advance_steps(nxt, batch)
            self._resume()
            yield eng.now
        yield from eng.advance_steps(target, batch)
        self._resume()

    def _resume(self) -> None:
        for p in list(self._procs):
            try:
                with cpu_budget.command():  # each step of a blocking command has its own budget
                    p.resume(self._eng.now)
            except cpu_budget.CPUBudgetExceeded as spent:  # stopped between reconciles: consistent
                p.write("err", spent.render() + "\n")
                p.cancel()
                p.exit_code = spent.exit_code
            if p.done:
                self._procs.remove(p)

    # ---- commands ------------------------------------------------------------------------------
    def run(self, line: str, env: dict | None = None, timeout: float | None = None) -> Result:
        """Run one console line to completion. A blocking command lets simulated time pass until it
        ends, or `timeout` simulated seconds (at most an hour), after which it is interrupted."""
        proc = self.start(line, env=env)
        if not proc.done:
            limit = limits.MAX_WAIT_SECONDS if timeout is None else min(float(timeout), limits.MAX_WAIT_SECONDS)
            deadline = self._eng.now + max(limit, 0.0)
            steps = 0
            while not proc.done and self._eng.now < deadline:
                steps += 1
                if steps > 1_000_000:  # cannot happen unless a command never lets time move
                    break
                due = self._eng.next_due()
                wake = proc.wake
                candidates = [t for t in (due, wake, deadline) if t is not None]
                step = min(candidates)
                self._advance_to(min(max(step, self._eng.now), deadline))
                if not proc.done and due is None and wake is None:
                    self._advance_to(deadline)  # nothing will ever happen: let the clock run out
            if not proc.done:
                proc.cancel()
                if timeout is None:
                    proc.exit_code = 0
        return Result(proc.stdout, proc.stderr, proc.exit_code if proc.exit_code is not None else 0)

    def start(self, line: str, env: dict | None = None) -> Process:
        """Begin a command; streaming ones keep running as time passes (read(), cancel())."""
        from .console import execute

        proc = Process(line if isinstance(line, str) else "")
        if sum(not p.done for p in self._procs) >= limits.MAX_RUNNING_COMMANDS:  # each listens to every change
            proc.write("err", f"error: at most {limits.MAX_RUNNING_COMMANDS} commands can run at once; "
                              "stop one with Ctrl+C first\n")
            proc.finish(1)
            self._log(proc)
            return proc
        checkpoint = None
        if not _read_only(line):
            checkpoint = self._checkpoint()
        try:
            with cpu_budget.command():
                execute(self, proc, line, env)
        except cpu_budget.CPUBudgetExceeded as spent:  # too heavy: stopped, the cluster as it was
            if checkpoint is not None:
                self._rollback(checkpoint)
            proc.write("err", spent.render() + "\n")
            proc.finish(spent.exit_code)
        except Exception:  # a bug of ours: report it, keep the learner's cluster as it was
            log.exception("command crashed: %r", line)
            if checkpoint is not None:
                self._rollback(checkpoint)
            proc.write("err", "error: internal error in the simulator; the command was not applied\n")
            proc.finish(1)
        finally:
            if checkpoint is not None:
                checkpoint[0].close()  # what follows (time passing) is not the command's to undo
        if not proc.done:
            self._procs.append(proc)
        self._log(proc)
        return proc

    def _log(self, proc: Process) -> None:
        if proc.line.strip():
            self.history.append({"t": round(self._eng.now, 3), "line": proc.line.strip()[:limits.MAX_COMMAND_BYTES],
                                 "exit": proc.exit_code})
            if len(self.history) > 1000:
                del self.history[: len(self.history) - 1000]

    def _checkpoint(self):
        """Before a command that may change the cluster: the engine's journal (journal.py), the
        files, and the command and curl records (a list of pointers each)."""
        return self._eng.checkpoint(), dict(self.files), list(self.history), list(self.traffic)

    def _rollback(self, checkpoint) -> None:
        engine_checkpoint, files, history, traffic = checkpoint
        listeners = self._eng.store._listeners[1:]
        self._eng = self._eng.rollback(engine_checkpoint)
        for fn in listeners:
            self._eng.store.listen(fn)
        dict.clear(self.files)
        dict.update(self.files, files)
        self.history[:] = history
        self.traffic[:] = traffic

    def complete(self, text: str) -> list[str]:
        """Tab completion candidates for the end of `text`."""
        from .completion import complete

        try:
            return complete(self, text)
        except KubeError:
            return []

    # ---- the Kubernetes REST API ------------------------------------------------------------------
    def api(self, method: str, path: str, *, query=None, headers=None, body: bytes = b""):
        """One request to this cluster's Kubernetes API (simulator/rest): a `rest.Response` with
        status, headers and body bytes; never raises. A watch (`?watch=true`) or a followed log
        answers with `body` an iterator of bytes chunks that yields b"" while nothing is pending
        (let simulated time pass with advance(), then read on) and ends when the stream is over.
        A `Kubectl-Command` header is recorded once per kubectl invocation in `history`
        (`source: "kubectl-api"`). The caller serialises calls (the cluster is not thread-safe)."""
        from .rest import handle

        return handle(self, method, path, query, headers, body)

    # ---- reading state ------------------------------------------------------------------------
    def list(self, kind: str, namespace: str | None = None, *, copy: bool = True) -> list[dict]:
        """Copies of the objects of one kind (e.g. "Deployment"), optionally in one namespace.
        copy=False hands out the stored objects themselves, for readers that only look (the web
        console's live view re-reads every pod several times a second): never modify them."""
        objects = self._eng.store.list(kind, namespace)
        return [clone(o) for o in objects] if copy else list(objects)

    def get(self, kind: str, namespace: str, name: str) -> dict | None:
        obj = self._eng.store.get(kind, namespace, name)
        return clone(obj) if obj is not None else None

    def timeline(self, deployment: str, namespace: str = "default") -> list[dict]:
        """Rollout samples of one Deployment (see simulator/timeline.py)."""
        return clone(self._eng.timeline.for_deployment(namespace, deployment))

    def decisions(self, deployment: str, namespace: str = "default") -> list[dict]:
        """The deployment controller's decisions with their numbers (for "why" explanations)."""
        return clone(self._eng.timeline.decisions_for(namespace, deployment))

    def rollout_status(self, deployment: str, namespace: str = "default") -> RolloutStatus | None:
        """kubectl's rollout status of one Deployment now (DeploymentStatusViewer.Status in
        kubectl pkg/polymorphichelpers/rollout_status.go), None when there is no such Deployment.
        A paused Deployment is `done` too: waiting would not move it (the console's command keeps
        waiting, as kubectl does; this is for front-ends deciding when a rollout has settled)."""
        from .kubectl.commands.rollout import status_message

        obj = self._eng.store.get("Deployment", namespace, deployment)
        if obj is None:
            return None
        try:
            text, done = status_message(obj)
        except KubeError as err:  # exceeded its progress deadline
            return RolloutStatus(err.render(), True, error=True)
        paused = bool((obj.get("spec") or {}).get("paused"))
        return RolloutStatus(text.rstrip("\n"), done or paused)

    def read_only(self, line: str) -> bool:
        """True when `line` cannot change the cluster (from the parsed command)."""
        return _read_only(line)

    def service_timeline(self, service: str, namespace: str = "default") -> list[dict]:
        return clone(self._eng.timeline.for_service(namespace, service))

    def request(self, url: str) -> dict:
        """One HTTP request from inside the cluster, as `curl` would send it, without touching the
        learner's command log or curl record (for the traffic strip). Returns status (0 when no
        answer), body, pod, version and a curl-style error or None."""
        from .network import http_request

        answer = http_request(self, url)
        return {"status": answer["status"], "body": answer["body"], "pod": answer.get("pod"),
                "version": answer.get("version"), "error": answer["error"]}

    def subscribe(self, callback: Callable[[dict], None]) -> Callable[[], None]:
        """Watch events {"type": ADDED|MODIFIED|DELETED, "object": {...}} for live views."""
        def relay(etype, obj):
            callback({"type": etype, "object": clone(obj)})

        self._subscribers.append(relay)
        unlisten = self._eng.store.listen(relay)

        def unsubscribe():
            if relay in self._subscribers:
                self._subscribers.remove(relay)
            unlisten()
            try:
                self._eng.store._listeners.remove(relay)
            except ValueError:
                pass

        return unsubscribe

    # ---- resource words and label selectors, for graders (tutorial/exercises/checks.py) ----------
    @staticmethod
    def resolve_kind(word: str) -> str | None:
        """The Kind kubectl's RESTMapper gives a resource word (`rc`, `deploy`, `pods`,
        `deployments.apps`), or None when the word is unknown or names a type this simulator does
        not serve (kubectl/resources.py resolve; upstream: restmapper's ResourceFor)."""
        from .kubectl import resources

        if not isinstance(word, str) or not word:
            return None
        try:
            rt = resources.resolve(word)
        except KubeError:
            return None
        return rt.kind if rt.simulated else None

    @staticmethod
    def label_selector_error(selector: str) -> str | None:
        """Why a label selector (`app=kubia,version!=v1`, `env in (a,b)`) is invalid, in the API
        server's words (apimachinery labels.Parse), or None when it parses."""
        from .kubectl.selectors import SelectorSyntaxError, parse_label_selector

        if not isinstance(selector, str):
            return "a label selector must be text"
        try:
            parse_label_selector(selector)
        except SelectorSyntaxError as err:
            return str(err)
        return None

    def select(self, kind: str, namespace: str | None, selector: str = "") -> list[dict]:
        """Copies of the objects of `kind` in `namespace` whose labels match a label selector, as
        `kubectl get <kind> -l <selector>` lists them (deleting objects included). ValueError
        names an invalid selector (see label_selector_error)."""
        from .kubectl.selectors import SelectorSyntaxError, parse_label_selector

        try:
            matcher = parse_label_selector(selector or "")
        except SelectorSyntaxError as err:
            raise ValueError(str(err)) from None
        return [clone(o) for o in self._eng.store.list(kind, namespace)
                if matcher.matches((o.get("metadata") or {}).get("labels"))]

    # ---- kubectl edit in an editor panel --------------------------------------------------------
    def edit_begin(self, line: str, env: dict | None = None):
        """Start `kubectl edit …` for a front-end with its own editor (no KUBE_EDITOR/EDITOR).

        Returns {"text": the document kubectl would open, "token": …, "stderr": warnings} when the
        editor should open; a Result when the command ended at once (NotFound, bad type, …: the
        same output as the console); None when `line` is not such an edit (another command, --help,
        an editor in `env`): run it with start() instead. Recorded in `history` like a command;
        its exit code is filled in when the edit ends (edit_finish)."""
        from .kubectl import cli
        from .kubectl.commands import edit as editlib

        if not isinstance(line, str) or "\x00" in line or \
                len(line.encode("utf-8", "surrogatepass")) > limits.MAX_COMMAND_BYTES:
            return None
        env = dict(env or {})
        if env.get("KUBE_EDITOR") or env.get("EDITOR"):
            return None
        # a front-end asks this before every command: most are no edit, and the word `edit` cannot
        # come out of a line without its letters in a row, give or take quotes, backslashes and
        # escaped newlines (tokenize expands nothing), so those skip the parse
        if "edit" not in line.translate(_QUOTING):
            return None
        try:
            words = cli.tokenize(line)
            if len(words) < 2 or words[0] not in ("kubectl", "k") or "|" in words:
                return None
            inv = cli.parse(words[1:])
        except KubeError:
            return None  # the console prints the parse error
        if inv.path != ("edit",) or inv.wants_help or (inv.flags.get("output") or "") == "json":
            return None
        proc = Process(line)
        ctx = Context(self, proc, env)
        for warning in inv.deprecations:
            ctx.err(warning + "\n")
        try:
            infos = [clone(o) for o in editlib._infos(ctx, inv)]  # noqa: SLF001 - same lookup as run_edit
        except KubeError as err:
            proc.write("err", err.render() + "\n")
            proc.finish(err.exit_code)
            self._log(proc)
            return Result(proc.stdout, proc.stderr, proc.exit_code)
        session = editlib._Session(ctx, inv, infos)  # noqa: SLF001 - the loop of run_edit, one pass per save
        text = session.buffer()
        self._edit_seq += 1
        token = f"edit-{self._edit_seq}"
        self._log(proc)
        self._edits[token] = {"session": session, "entry": self.history[-1] if self.history else None,
                              "line": line}
        while len(self._edits) > MAX_OPEN_EDITS:
            del self._edits[next(iter(self._edits))]
        return {"text": text, "token": token, "stderr": proc.stderr}

    def start_edit(self, line: str, env: dict | None = None) -> Process | None:
        """`kubectl edit …` as a command that waits for the front-end's editor: an EditProcess
        (running, `editor` set) when the editor should open; a finished Process when kubectl ended
        at once (NotFound, a bad type...: the console's output); None when `line` is not such an
        edit (another command, --help, an editor in `env`): run it with start()."""
        opened = self.edit_begin(line, env)
        if opened is None:
            return None
        if isinstance(opened, Result):
            proc = Process(line)
            if opened.stdout:
                proc.write("out", opened.stdout)
            if opened.stderr:
                proc.write("err", opened.stderr)
            proc.finish(opened.exit_code)
            return proc
        return EditProcess(self, line, opened)

    def edit_finish(self, token: str, edited_text: str | None) -> EditResult:
        """The learner saved (`edited_text`) or closed the editor without saving (None) in the edit
        `token`. Runs what kubectl does after its editor exits (editoptions.go): unchanged →
        "Edit cancelled, no changes made."; invalid → the errors, and `reopen` holds the text to
        edit again (kubectl's header listing the failures) under a new `token`."""
        pending = self._edits.pop(token, None) if isinstance(token, str) else None
        if pending is None:
            return EditResult("", "error: this edit is no longer open; run kubectl edit again\n", 1)
        session = pending["session"]
        if edited_text is None:
            edited_text = session.original if not session.contains_error else session.buffer()
        if not isinstance(edited_text, str):
            edited_text = ""
        proc = Process(pending["line"])
        ctx = Context(self, proc)
        session.ctx = ctx
        checkpoint = self._checkpoint()
        code = None
        try:
            if len(edited_text.encode("utf-8", "surrogatepass")) > limits.MAX_FILE_BYTES:
                raise LimitExceeded(f"the edited text is limited to {limits.MAX_FILE_BYTES // 1024} KB")
            with cpu_budget.command():
                code = session.after_editor(edited_text, session.temp_file())
        except KubeError as err:
            ctx.err(err.render() + "\n")
            code = err.exit_code
        except cpu_budget.CPUBudgetExceeded as spent:
            self._rollback(checkpoint)
            ctx.err(spent.render() + "\n")
            code = spent.exit_code
        except Exception:  # a bug of ours: report it, keep the learner's cluster as it was
            log.exception("edit crashed: %r", pending["line"])
            self._rollback(checkpoint)
            ctx.err("error: internal error in the simulator; the edit was not applied\n")
            code = 1
        finally:
            checkpoint[0].close()
        reopen = new_token = None
        if code is None:  # kubectl reopens the editor on the edited text with the failures on top
            reopen = session.buffer()
            self._edit_seq += 1
            new_token = f"edit-{self._edit_seq}"
            self._edits[new_token] = pending
            code = 1
        elif pending["entry"] is not None:
            pending["entry"]["exit"] = code
        return EditResult(proc.stdout, proc.stderr, code, reopen=reopen, token=new_token)

    # ---- replay --------------------------------------------------------------------------------
    def view_at(self, t: float) -> dict:
        """The Deployments, ReplicaSets (and ReplicationControllers) and Pods that existed at
        simulated time `t` (clamped to [0, now]), each in its state then, shaped like list()'s
        objects with the fields a live view reads (metadata incl. ownerReferences, spec replicas
        and containers, status). Read-only: the cluster does not change."""
        from .timeline import LIFE_KINDS, object_at
        from .timeutil import from_rfc3339

        try:
            t = float(t)
        except (TypeError, ValueError):
            raise ValueError("view_at() needs a time in seconds") from None
        if t != t:
            raise ValueError("view_at() needs a time in seconds")
        t = min(max(t, 0.0), self._eng.now)
        lives = self._eng.timeline.lives
        for kind in LIFE_KINDS:  # objects from a snapshot taken before lives were recorded
            for obj in self._eng.store.list(kind):
                if not lives.known(obj["metadata"].get("uid", "")):
                    try:
                        born = from_rfc3339(self._eng.epoch, obj["metadata"].get("creationTimestamp", ""))
                    except Exception:  # noqa: BLE001 - a missing stamp: it was there from the start
                        born = 0.0
                    record = lives.begin(obj, min(max(born, 0.0), self._eng.now))
                    lives.observe(record["from"], "ADDED", obj)
        out = {"deployments": [], "replicasets": [], "pods": []}
        where = {"Deployment": "deployments", "ReplicaSet": "replicasets",
                 "ReplicationController": "replicasets", "Pod": "pods"}
        for record, state in lives.at(t):
            out[where[record["kind"]]].append(object_at(record, clone(state)))
        return out

    # ---- snapshot -------------------------------------------------------------------------------
    def close(self) -> None:
        """Let go of everything now; the cluster is unusable afterwards. Its parts refer to each
        other (engine, API server, store listeners...), so a dropped cluster would wait for Python's
        cycle collector; cutting those references frees it at once (the web console drops idle
        clusters and keeps their snapshot)."""
        eng = self.__dict__.get("_eng")
        if eng is not None:
            for part in list(vars(eng).values()):
                if hasattr(part, "__dict__") and not isinstance(part, type):
                    part.__dict__.clear()
            eng.__dict__.clear()
        self.__dict__.clear()

    def _state(self) -> dict:
        return {"engine": self._eng.to_data(), "files": dict(self.files), "seed": self.seed,
                "history": self.history, "traffic": self.traffic}

    def snapshot(self) -> dict:
        """The whole cluster as JSON-compatible data (lossless; streaming commands are not kept)."""
        state = self._state()
        encoder = self.__dict__.get("_encoder")
        if encoder is None:
            encoder = self._encoder = snapshot_codec.Encoder()
        return {"format": SNAPSHOT_FORMAT, "now": self._eng.now, "data": encoder.encode(state)}

    @classmethod
    def restore(cls, snapshot: dict) -> "Cluster":
        if not isinstance(snapshot, dict) or snapshot.get("format") != SNAPSHOT_FORMAT:
            raise ValueError("not a Rollout Lab cluster snapshot")
        return cls._from_state(snapshot_codec.decode(snapshot["data"]))

    def copy(self) -> "Cluster":
        """An independent cluster equal to this one, as restore(snapshot()) would give, sharing
        this one's stored objects: the store never changes an object in place (store.py), so two
        clusters can hold the same one until either writes a new one. Everything else is copied.
        Streaming commands and open edits are not copied (as in a snapshot).

        Why: every new learner's sandbox starts from the lesson's set-up; restored from JSON, each
        of a few hundred live lesson clusters in a web process held its own copy of the set-up's
        objects (~20 KB), which also left the process's memory higher after they went dormant."""
        state = self._state()
        objects = state["engine"]["store"]["objects"]
        state["engine"]["store"] = {key: value for key, value in state["engine"]["store"].items() if key != "objects"}
        state = snapshot_codec.copy_json(state)
        state["engine"]["store"]["objects"] = objects
        return type(self)._from_state(state)

    @classmethod
    def _from_state(cls, state: dict) -> "Cluster":
        c = cls.__new__(cls)
        c._eng = Engine.from_data(state["engine"])
        c.files = Files()
        dict.update(c.files, state["files"])
        c.seed = state["seed"]
        c.history = state["history"]
        c.traffic = state["traffic"]
        c._procs = []
        c._subscribers = []
        c._edits = {}
        c._edit_seq = 0
        c._eng.store.listen(c._observe)
        return c
