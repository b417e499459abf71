"""Commands whose cost a learner controls end with their error instead of holding the process.

Each adversarial command of the audit (issue 13) answers with a clear error (or its normal output,
when the linear-time engine makes it cheap) and the cluster keeps working afterwards. Nothing here
measures time: the bounds are what make these commands return at all (before, the first three took
6-8 s each and two more `a`s quadrupled that).
"""
from __future__ import annotations

import json

import pytest

from simulator import Cluster, cpu_budget, limits, safe_regex

A28 = "a" * 28 + "!"
A40 = "a" * 40 + "!"
COSTLY_SED = "sed: regular expression too costly: matching used more than 200 ms of CPU"
COSTLY_GREP = "grep: regular expression too costly: matching used more than 200 ms of CPU"


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(seed=3)
    assert c.run("kubectl create deployment web --image=nginx --replicas=20").exit_code == 0
    c.advance(60)
    c.files["many.txt"] = "\n".join([A40] * 2000) + "\n"
    return c


def still_works(c: Cluster) -> None:
    r = c.run("kubectl get deployment web -o jsonpath={.status.readyReplicas}")
    assert (r.stdout, r.exit_code) == ("20", 0)
    r = c.run("kubectl get pods | grep -c Running")
    assert (r.stdout, r.exit_code) == ("20\n", 0)


# ---- the three commands of the issue, and nested quantifiers in every pattern-taking word -------

@pytest.mark.parametrize("line, stdout, code", [
    (f"echo {A28} | sed -E 's/^(a+)+$/x/'", A28 + "\n", 0),
    (f"echo {A28} | grep -E '^(a+)+$'", "", 1),
    (f"echo {A28} | sed 's/^\\(a*\\)*$/x/'", A28 + "\n", 0),
    (f"echo {A28} | grep '^\\(a*\\)*$'", "", 1),
    ("echo " + "a" * 3000 + " | sed -E 's/(a*)*b/x/g'", "a" * 3000 + "\n", 0),
    (f"echo {A28} | sed -E '/^(a+)+$/d'", A28 + "\n", 0),        # an address takes a pattern too
    (f"echo {'a' * 28} | sed -E 's/^(a+)+$/x/'", "x\n", 0),      # and still matches what it should
    (f"echo {'a' * 28} | grep -cE '^(a|aa)+$'", "1\n", 0),
])
def test_nested_quantifiers_run_in_linear_time(cluster, line, stdout, code):
    r = cluster.run(line)
    assert (r.stdout, r.stderr, r.exit_code) == (stdout, "", code)


@pytest.mark.parametrize("line, error, code", [
    (f"echo {A40} | sed -E 's/^(a|a)*\\1$/x/'", COSTLY_SED, 4),
    (f"echo {A40} | sed '/^\\(a\\|a\\)*\\1$/d'", COSTLY_SED, 4),
    (f"echo {A40} | grep -E '^(a|aa)*\\1$'", COSTLY_GREP, 2),
    ("cat many.txt | grep -vcE '^(a|a)*\\1$'", COSTLY_GREP, 2),    # the budget is for all lines together
    ("sed -E 's/^(a|a)*\\1$/x/' many.txt", COSTLY_SED, 4),
    (f"echo {A40} | grep -w '^\\(a\\|a\\)*\\1$'", COSTLY_GREP, 2),
])
def test_backreferences_stop_at_their_budget(cluster, line, error, code):
    r = cluster.run(line)
    assert r.stderr.startswith(error) and r.exit_code == code, r.stderr
    still_works(cluster)


def test_kubectl_edit_with_a_sed_editor_is_bounded_and_rolled_back(cluster):
    before = cluster.get("Deployment", "default", "web")["metadata"]["resourceVersion"]
    env = {"KUBE_EDITOR": "sed -i -E 's/^(.|.)*\\1\\1\\1$/x/'"}
    cluster.run("kubectl label deploy web big=" + "a" * 60)  # a long line for the editor to chew on
    r = cluster.run("kubectl edit deployment web", env=env)
    assert r.exit_code != 0
    assert "regular expression too costly" in r.stderr
    assert cluster.get("Deployment", "default", "web")["metadata"]["labels"]["big"] == "a" * 60
    assert int(cluster.get("Deployment", "default", "web")["metadata"]["resourceVersion"]) >= int(before)
    assert cluster.run("kubectl label deploy web big-").exit_code == 0
    still_works(cluster)


def test_backreferences_still_work_when_cheap(cluster):
    assert cluster.run("echo abcabc | sed -E 's/(abc)\\1/X/'").stdout == "X\n"
    assert cluster.run("echo 'one one two' | grep -oE '(\\w+) \\1'").stdout == "one one\n"
    assert cluster.run("echo abab | sed 's/\\(ab\\)\\1/Y/'").stdout == "Y\n"


def test_matches_are_posix_leftmost_longest():
    # GNU regexec: the longest of the leftmost matches, not Perl's first alternative
    c = Cluster()
    assert c.run("echo ab | sed -E 's/a|ab/X/'").stdout == "X\n"
    assert c.run("echo xyz | grep -oE 'x|xy|xyz'").stdout == "xyz\n"


def test_safe_regex_engines():
    assert safe_regex.compile(r"^(a+)+$").linear
    assert not safe_regex.compile(r"(a)\1").linear
    assert safe_regex.compile(r"AB", 2).search("xaby") is not None  # re.IGNORECASE


# ---- grep as GNU grep reads its options (and its basic regular expressions) --------------------

@pytest.mark.parametrize("line, stdout, code", [
    ("kubectl get ns --no-headers | grep -c kube", "3\n", 0),
    ("kubectl get ns --no-headers -o name | grep -n -E 'kube-(system|public)'",
     "3:namespace/kube-public\n4:namespace/kube-system\n", 0),
    ("kubectl get ns -o name | grep 'kube-\\(system\\|public\\)'", "namespace/kube-public\nnamespace/kube-system\n", 0),
    ("kubectl get ns -o name | grep 'system|public'", "", 1),  # BRE: | is an ordinary character
    ("kubectl get ns -o name | grep -o 'kube-[a-z]*'", "kube-node\nkube-public\nkube-system\n", 0),
    ("kubectl get ns -o name | grep -x 'namespace/default'", "namespace/default\n", 0),
    ("kubectl get ns -o name | grep -w 'kube'", "namespace/kube-node-lease\nnamespace/kube-public\nnamespace/kube-system\n", 0),
    ("kubectl get ns -o name | grep -vic KUBE", "1\n", 0),
    ("kubectl get ns -o name | grep -F 'e-p'", "namespace/kube-public\n", 0),
    ("kubectl get ns -o name | grep -e default -e lease", "namespace/default\nnamespace/kube-node-lease\n", 0),
    ("kubectl get ns -o name | grep -q default", "", 0),
    ("echo x | grep -E '('", "", 2),
    ("echo x | grep -Z x", "", 2),
])
def test_grep_options(line, stdout, code):
    c = Cluster()
    r = c.run(line)
    assert (r.stdout, r.exit_code) == (stdout, code), r.stderr


def test_grep_errors_read_like_gnu_grep():
    c = Cluster()
    assert c.run("echo x | grep -E '('").stderr == "grep: Unmatched ( or \\(\n"
    assert c.run("echo x | grep -Z x").stderr.startswith("grep: invalid option -- 'Z'\nUsage: grep")


# ---- other learner-controlled costs ------------------------------------------------------------

def test_huge_sed_scripts_are_refused(cluster):
    r = cluster.run("echo a | sed '" + ";".join(["p"] * (limits.MAX_SED_COMMANDS + 1)) + "'")
    assert (r.stderr, r.exit_code) == (f"sed: the script has more than {limits.MAX_SED_COMMANDS} commands\n", 1)
    r = cluster.run("cat many.txt | sed '" + ";".join(["s/a/b/"] * 60) + "'")
    assert r.stderr == "sed: -: input lines × script commands exceed 100,000\n" and r.exit_code == 4
    r = cluster.run("sed '" + ";".join(["s/a/b/"] * 60) + "' many.txt")
    assert r.stderr == "sed: many.txt: input lines × script commands exceed 100,000\n"
    still_works(cluster)


def test_sed_output_growth_is_capped(cluster):
    grow = ";".join(["s/a/" + "a" * 40 + "/g"] * 8)
    r = cluster.run(f"echo a | sed '{grow}'")
    assert (r.stderr, r.exit_code) == ("sed: a line grew larger than 1024 KB (a Rollout Lab limit)\n", 4)
    r = cluster.run("cat many.txt | sed -n '" + ";".join(["p"] * 40) + "'")
    assert (r.stderr, r.exit_code) == ("sed: the output is larger than 1024 KB (a Rollout Lab limit)\n", 4)


def test_pipelines_are_limited(cluster):
    r = cluster.run("kubectl get pods" + " | cat" * limits.MAX_PIPE_STAGES)
    assert (r.stderr, r.exit_code) == (f"error: a pipeline is limited to {limits.MAX_PIPE_STAGES} commands\n", 2)
    # each grep gives up at its own budget; together they reach the command's budget, which ends the line
    hostile = " | cat many.txt | grep -E '^(a|a)*\\1$'"
    r = cluster.run("true" + hostile * 7)
    assert r.stderr.count(COSTLY_GREP) >= 3
    assert r.stderr.endswith(f"error: this command used more than {limits.COMMAND_CPU_MS} ms of CPU\n")
    assert r.exit_code == 1
    still_works(cluster)


def test_jsonpath_explosions_are_refused(cluster):
    r = cluster.run("kubectl get pods -o jsonpath='{range ..}{range ..}{range ..}{range ..}{.}{end}{end}{end}{end}'")
    assert r.exit_code == 1
    # the value cap or, on a slow or busy machine, the CPU budget ends it first: either way it ends
    assert r.stderr.endswith(f"the template produces more than {limits.MAX_JSONPATH_RESULTS:,} values "
                             "(a Rollout Lab limit)\n") or \
        f"used more than {limits.COMMAND_CPU_MS} ms of CPU" in r.stderr, r.stderr[-300:]
    r = cluster.run("kubectl get pods -o jsonpath='" + "{..}" * 500 + "'")
    assert r.exit_code in (0, 1) and len(r.stdout) <= limits.MAX_OUTPUT_BYTES + 100
    r = cluster.run("kubectl get pods -o jsonpath='{" + "[" * 2000 + "}'")
    assert r.exit_code == 1 and r.stderr.startswith("error: error parsing jsonpath")
    r = cluster.run("kubectl get pods -o jsonpath='" + "{range .items[*]}" * 150 + "{.}" + "{end}" * 150 + "'")
    assert r.exit_code in (0, 1)
    still_works(cluster)


def test_custom_columns_explosion_ends_within_the_budget(cluster):
    r = cluster.run("kubectl get pods -o custom-columns=" + ",".join(f"C{i}:{{..}}" for i in range(200)))
    # how far it gets depends on the machine's speed, but it always ends, bounded: by the CPU budget,
    # a Rollout Lab limit, or the output cap
    ended = r.exit_code == 1 and (f"used more than {limits.COMMAND_CPU_MS} ms of CPU" in r.stderr
                                  or "Rollout Lab limit" in r.stderr)
    truncated = r.exit_code == 0 and r.stdout.endswith("[output truncated]\n")
    assert ended or truncated, (r.exit_code, r.stdout[-200:], r.stderr[-300:])
    still_works(cluster)


def test_label_selectors_with_many_terms(cluster):
    selector = ",".join(f"k{i} notin (a,b,c)" for i in range(200))
    r = cluster.run(f"kubectl get pods -l '{selector}' --no-headers")
    assert r.exit_code == 0 and r.stdout.count("\n") == 20


def test_yaml_bombs_and_deep_nesting_are_refused(cluster):
    laughs = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        laughs.append(f"{chr(97 + i)}: &{chr(97 + i)} [*{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, "
                      f"*{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}]")
    cluster.files["bomb.yaml"] = "\n".join(laughs) + "\n"
    r = cluster.run("kubectl apply -f bomb.yaml")
    assert r.exit_code == 1 and "YAML aliases that expand to more than" in r.stderr
    cluster.files["deep.json"] = "[" * 5000 + "]" * 5000
    r = cluster.run("kubectl apply -f deep.json")
    assert r.exit_code == 1 and "nests deeper than" in r.stderr
    r = cluster.run("cat deep.json | kubectl apply -f -")
    assert r.exit_code == 1 and "nests deeper than" in r.stderr
    still_works(cluster)


def test_busybox_scripts_run_a_bounded_number_of_commands():
    c = Cluster()
    script = "; ".join(["echo hi"] * (limits.MAX_SCRIPT_COMMANDS + 50))
    assert c.run(f"kubectl run bb --image=busybox --restart=Never -- sh -c '{script}'").exit_code == 0
    c.advance(30)
    r = c.run("kubectl logs bb")
    # (the log keeps its last 200 lines: the cap's message is the last one, all after it never ran)
    assert limits.MAX_SCRIPT_COMMANDS - 1 <= r.stdout.count("hi\n") <= limits.MAX_SCRIPT_COMMANDS
    assert f"sh: Rollout Lab runs at most {limits.MAX_SCRIPT_COMMANDS} commands of a script" in r.output


def test_running_commands_are_limited():
    c = Cluster()
    procs = [c.start("kubectl get pods -w") for _ in range(limits.MAX_RUNNING_COMMANDS)]
    extra = c.start("kubectl get pods -w")
    assert extra.done and extra.exit_code == 1
    assert extra.stderr == (f"error: at most {limits.MAX_RUNNING_COMMANDS} commands can run at once; "
                            "stop one with Ctrl+C first\n")
    procs[0].cancel()  # Ctrl+C frees a place at once
    assert not c.start("kubectl get pods -w").done


# ---- the per-command CPU budget: even an unforeseen heavy command ends, the cluster as before ----

@pytest.fixture
def tiny_budget(monkeypatch):
    monkeypatch.setattr(limits, "COMMAND_CPU_MS", 0)


def test_a_command_over_the_cpu_budget_is_rolled_back(tiny_budget):
    c = Cluster()
    limits_ms = limits.COMMAND_CPU_MS
    c.files["d.json"] = json.dumps({
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
        "spec": {"replicas": 50, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}})
    r = c.run("kubectl create -f d.json")
    assert (r.stderr, r.exit_code) == (f"error: this command used more than {limits_ms} ms of CPU\n", 1)
    assert c.list("Deployment") == [] and c.list("Pod") == []  # not half-applied
    assert c.history[-1]["exit"] == 1


def test_the_cpu_budget_ends_a_blocking_step_and_the_cluster_goes_on(monkeypatch):
    c = Cluster()
    assert c.run("kubectl create deployment web --image=nginx --replicas=3").exit_code == 0
    proc = c.start("kubectl rollout status deployment web")
    monkeypatch.setattr(limits, "COMMAND_CPU_MS", 0)
    real_resume = proc.resume

    def heavy_step(now):  # an unforeseen heavy step: it checks the budget like every loop does
        cpu_budget.check()
        real_resume(now)

    proc.resume = heavy_step
    c.advance(30)
    assert proc.done and proc.exit_code == 1
    assert proc.stderr.endswith("error: this command used more than 0 ms of CPU\n")
    monkeypatch.undo()
    r = c.run("kubectl get deployment web -o jsonpath={.status.readyReplicas}")
    assert (r.stdout, r.exit_code) == ("3", 0)


def test_budget_is_inactive_outside_commands():
    assert not cpu_budget.active()
    cpu_budget.check()  # no slice: nothing to raise
    with cpu_budget.command(0):
        assert cpu_budget.active()
        with pytest.raises(cpu_budget.CPUBudgetExceeded):
            sum(range(10_000))
            cpu_budget.check()
    assert not cpu_budget.active()


def test_an_endless_sleep_has_no_wake_up_time():
    c = Cluster()
    proc = c.start("sleep " + "9" * 400)  # GNU: as `sleep inf`
    assert not proc.done and proc.wake is None and c.next_due() is None
    c.advance(3600)
    assert not proc.done
    proc.cancel()
    assert c.run("sleep 2").exit_code == 0 and c.now == 3602


def test_linear_matching_over_much_text_still_ends_within_the_budget():
    c = Cluster()
    c.files["line.txt"] = "a" * (limits.MAX_FILE_BYTES - 1)
    r = c.run("cat line.txt" + " | sed 's/./X/g' | sed 's/X/a/g'" * 4)  # about a million matches
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr.endswith(f"error: this command used more than {limits.COMMAND_CPU_MS} ms of CPU\n")
    assert c.run("echo ok | sed s/ok/fine/").stdout == "fine\n"


def test_containers_are_capped_per_pod_and_per_workload():
    # the kubelet's work (starts, probes every second) grows with containers on the clock's time
    c = Cluster()
    many = [{"name": f"c{i}", "image": "nginx"} for i in range(limits.MAX_CONTAINERS_PER_POD + 1)]
    c.files["fat.json"] = json.dumps({
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "fat"},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "fat"}},
                 "template": {"metadata": {"labels": {"app": "fat"}}, "spec": {"containers": many}}}})
    r = c.run("kubectl create -f fat.json")
    assert r.exit_code == 1 and r.stderr == (
        f"error: this sandbox allows at most {limits.MAX_CONTAINERS_PER_POD} containers per pod, init containers "
        f"included (asked for {limits.MAX_CONTAINERS_PER_POD + 1})\n")
    ten = many[:limits.MAX_CONTAINERS_PER_POD]
    c.files["ten.json"] = c.files["fat.json"].replace(json.dumps(many), json.dumps(ten))
    assert c.run("kubectl create -f ten.json").exit_code == 0
    r = c.run(f"kubectl scale deployment fat --replicas={limits.MAX_PODS}")
    assert r.exit_code == 1 and r.stderr == (
        f"error: this sandbox allows at most {limits.max_containers()} containers per Deployment "
        f"(asked for {limits.MAX_PODS} replicas × {limits.MAX_CONTAINERS_PER_POD} containers)\n")
    most = limits.max_containers() // limits.MAX_CONTAINERS_PER_POD
    assert c.run(f"kubectl scale deployment fat --replicas={most}").exit_code == 0
    c.advance(30)
    assert len(c.list("Pod")) == most


@pytest.mark.parametrize("line, error, code", [
    # nested counts the backtracking engine would unroll for minutes before matching anything
    ("echo aa | sed -E 's/((a{999}){999}){999}/x/'", "sed: -e expression #1, char 25: Regular expression too big\n", 1),
    ("echo aa | sed -E '/((a{999}){999}){999}/d'", "sed: -e expression #1, char 22: Regular expression too big\n", 1),
    ("echo aa | grep -E '((a{1,32767}){1,32767}){1,32767}'", "grep: Regular expression too big\n", 2),
    ("echo aa | sed -E 's/(a)\\2/x/'", "sed: -e expression #1, char 10: Invalid preceding regular expression\n", 1),
])
def test_patterns_too_big_to_compile_are_refused(line, error, code):
    r = Cluster().run(line)
    assert (r.stderr, r.exit_code) == (error, code)


@pytest.mark.parametrize("line, stdout, stderr, code", [
    ("grep image a.yaml", "image: nginx\n", "", 0),
    ("grep -n image a.yaml b.yaml", "a.yaml:1:image: nginx\nb.yaml:1:image: redis\n", "", 0),
    ("grep -c image a.yaml b.yaml nope.yaml", "a.yaml:1\nb.yaml:1\n", "grep: nope.yaml: No such file or directory\n", 2),
    ("grep -sc image nope.yaml a.yaml", "a.yaml:1\n", "", 2),
    ("grep -q image nope.yaml a.yaml", "", "grep: nope.yaml: No such file or directory\n", 0),
    ("echo image | grep -H image", "(standard input):image\n", "", 0),
    ("echo x | grep -h image a.yaml -", "image: nginx\n", "", 0),
    ("grep -E '^(a|a)*\\1$' a.yaml", "", "", 1),
])
def test_grep_reads_working_directory_files(line, stdout, stderr, code):
    c = Cluster()
    c.files["a.yaml"] = "image: nginx\nname: web\n"
    c.files["b.yaml"] = "image: redis\n"
    r = c.run(line)
    assert (r.stdout, r.stderr, r.exit_code) == (stdout, stderr, code)
