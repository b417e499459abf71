"""The terminal front-end: `python -m simulator --script` in a subprocess (deterministic for a seed),
and the interactive loop with a fake stdin, a fake wall clock and a fake sleep."""
import io
import os
import subprocess
import sys

import pytest

from simulator import Cluster
from simulator.terminal import PROMPT, Terminal, load_files, parse_seconds, readline_completer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: kubia
spec:
  replicas: 3
  selector:
    matchLabels: {app: kubia}
  template:
    metadata:
      labels: {app: kubia}
    spec:
      containers:
      - name: nodejs
        image: luksa/kubia:v1
"""


def run_cli(*args, stdin=None, cwd=None):
    return subprocess.run([sys.executable, "-m", "simulator", *args], input=stdin, capture_output=True,
                          text=True, cwd=cwd or ROOT, timeout=120,
                          env={**os.environ, "PYTHONPATH": ROOT, "HOME": cwd or ROOT})


@pytest.fixture
def workdir(tmp_path):
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "kubia.yaml").write_text(DEPLOYMENT)
    (tmp_path / "files" / "notes.txt").write_text("not a manifest")
    return tmp_path


SCRIPT = """# a comment that is not echoed
ls
kubectl apply -f kubia.yaml

# advance 30
kubectl get pods
kubectl rollout status deployment kubia
kubectl get nodes
"""


def expected_transcript(seed):
    """The same lines through the public API: the terminal must add nothing but the echo."""
    c = Cluster(seed=seed)
    c.files["kubia.yaml"] = DEPLOYMENT
    out = []
    for line in ("ls", "kubectl apply -f kubia.yaml", None, "kubectl get pods",
                 "kubectl rollout status deployment kubia", "kubectl get nodes"):
        if line is None:
            c.advance(30)
            continue
        out.append(f"$ {line}\n" + c.run(line).stdout)
    return "".join(out)


def test_script_mode_is_deterministic_and_matches_the_api(workdir):
    (workdir / "demo.sh").write_text(SCRIPT)
    args = ("--script", str(workdir / "demo.sh"), "--files", str(workdir / "files"), "--seed", "7")
    first = run_cli(*args)
    second = run_cli(*args)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert first.stdout == expected_transcript(7)
    assert first.stdout.startswith("$ ls\nkubia.yaml\n$ kubectl apply -f kubia.yaml\ndeployment.apps/kubia created\n$ kubectl get pods\n")
    assert first.stdout.count("   1/1     Running   0          30s\n") == 3
    assert 'deployment "kubia" successfully rolled out\n' in first.stdout
    assert run_cli(*args[:-1], "8").stdout != first.stdout  # another seed, other pod names


def test_script_exit_code_is_the_last_commands(workdir):
    (workdir / "bad.sh").write_text("kubectl version --client\nkubectl get deploy nope\n")
    r = run_cli("--script", str(workdir / "bad.sh"))
    assert r.returncode == 1
    assert r.stdout == "$ kubectl version --client\nClient Version: v1.34.5\nKustomize Version: v5.7.1\n$ kubectl get deploy nope\n"
    assert r.stderr == 'Error from server (NotFound): deployments.apps "nope" not found\n'
    (workdir / "notfound.sh").write_text("kubectl get pods\nfrobnicate\n")
    assert run_cli("--script", str(workdir / "notfound.sh")).returncode == 127


def test_script_advance_and_bad_durations():
    t = Terminal(Cluster(), out=io.StringIO(), err=io.StringIO())
    assert t.run_script(["# advance 90\n", "#advance 1m\n", "# advance 0.5\n"]) == 0
    assert t.cluster.now == pytest.approx(150.5)
    assert t.run_script(["# advance soon\n"]) == 2
    assert "invalid duration 'soon'" in t.err.getvalue()
    assert parse_seconds("2h") == 7200 and parse_seconds("-1") is None and parse_seconds("1e9") is None


def test_bad_arguments(workdir):
    assert run_cli("--speed", "0", "--script", "x").returncode == 2
    assert run_cli("--speed", "fast").returncode == 2
    r = run_cli("--script", str(workdir / "missing.sh"))
    assert r.returncode == 2 and "missing.sh: No such file or directory" in r.stderr
    r = run_cli("--files", str(workdir / "nope"), "--script", str(workdir / "missing.sh"))
    assert r.returncode == 2 and "nope: No such file or directory" in r.stderr


def test_files_loads_manifests_only(workdir):
    (workdir / "files" / "svc.json").write_text('{"apiVersion": "v1", "kind": "Service"}')
    c = Cluster()
    assert load_files(c, str(workdir / "files"), io.StringIO()) == 2
    assert sorted(c.files) == ["kubia.yaml", "svc.json"]


def test_interactive_with_piped_stdin(workdir):
    r = run_cli("--files", str(workdir / "files"), stdin="kubectl config current-context\nls\nkubectl get nope\n",
                cwd=str(workdir))
    assert r.returncode == 1  # Ctrl+D (EOF) exits with the last command's code
    assert r.stdout == PROMPT + "kind-kind\n" + PROMPT + "kubia.yaml\n" + PROMPT + PROMPT + "\n"
    assert 'the server doesn\'t have a resource type "nope"' in r.stderr
    r = run_cli(stdin="kubectl version --client\nexit 3\nkubectl version\n", cwd=str(workdir))
    assert r.returncode == 3 and "Server Version" not in r.stdout


class FakeTime:
    """A wall clock that only moves when the terminal sleeps (or a test says so)."""

    def __init__(self, interrupt_after=None):
        self.now = 1000.0
        self.sleeps = 0
        self.interrupt_after = interrupt_after

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps += 1
        if self.interrupt_after is not None and self.sleeps > self.interrupt_after:
            self.interrupt_after = None
            raise KeyboardInterrupt
        self.now += seconds


def make_terminal(speed=1.0, interrupt_after=None):
    fake = FakeTime(interrupt_after)
    out, err = io.StringIO(), io.StringIO()
    c = Cluster(seed=3)
    c.files["kubia.yaml"] = DEPLOYMENT
    return Terminal(c, speed=speed, out=out, err=err, clock=fake.clock, sleep=fake.sleep), fake


def feed(lines, fake=None, idle=0.0):
    it = iter(lines)

    def read_line(prompt):
        if fake is not None:
            fake.now += idle  # the learner thinks for `idle` wall seconds at the prompt
        try:
            return next(it)
        except StopIteration:
            raise EOFError

    return read_line


def test_simulated_time_follows_wall_time_times_speed():
    t, fake = make_terminal(speed=4)
    assert t.interactive(feed(["sleep 10"])) == 0
    assert t.cluster.now == pytest.approx(10.0, abs=0.25)
    assert 1000 + 2.5 <= fake.now <= 1000 + 2.6  # 10 simulated seconds took 2.5 wall seconds at ×4
    t, fake = make_terminal(speed=2)
    t.interactive(feed(["kubectl apply -f kubia.yaml", "kubectl get deploy"], fake, idle=15))
    assert t.cluster.now == pytest.approx(60.0)  # idle time at the prompt passes too
    assert "kubia   3/3     3            3           30s\n" in t.out.getvalue()  # 15 wall s × 2


def test_ctrl_c_cancels_a_watch_not_the_program():
    t, fake = make_terminal(interrupt_after=800)
    code = t.interactive(feed(["kubectl apply -f kubia.yaml", "kubectl get pods -w", "kubectl get deploy kubia"]))
    out = t.out.getvalue()
    assert "^C\n" in out and out.index("^C\n") < out.index("NAME    READY")
    assert "ContainerCreating" in out and "Running" in out  # the watch streamed live until Ctrl+C
    assert code == 0  # the program went on to the next command and exited on EOF
    assert t.cluster.now == pytest.approx(40.0, abs=0.2)  # 800 ticks of 0.05 s at ×1


def test_ctrl_c_at_the_prompt_and_exit_words():
    t, _ = make_terminal()

    def read_line(prompt, lines=iter(["KBI", "exit"])):
        line = next(lines)
        if line == "KBI":
            raise KeyboardInterrupt
        return line

    assert t.interactive(read_line) == 130
    assert t.out.getvalue() == "^C\n"
    t, _ = make_terminal()
    assert t.interactive(feed(["exit nope"])) == 2 and "numeric argument required" in t.err.getvalue()


def test_clear_and_streams():
    t, _ = make_terminal()
    t.interactive(feed(["echo hi", "clear", "kubectl get nope"]))
    assert t.out.getvalue() == "hi\n\x1b[H\x1b[2J\n"
    assert t.err.getvalue().startswith("error: the server doesn't have a resource type")


def test_readline_completer_uses_cluster_complete():
    c = Cluster()
    buffer = {"text": "kubectl rollout st"}
    complete = readline_completer(c, lambda: buffer["text"])
    assert [complete("st", 0), complete("st", 1)] == ["status", None]
    buffer["text"] = "kubectl get -o ya"
    assert complete("ya", 0) == "yaml"
