"""Rollout Lab's own caps, so one learner cannot exhaust a shared server.

They are not Kubernetes limits; when one is hit the learner gets a plain `error: …` line that
names the cap. Chosen to be far above what any lesson needs.
"""
MAX_PODS = 200             # pods in the whole sandbox cluster (terminating ones included)
MAX_OBJECTS = 100          # user-level objects: deployments, replicasets, RCs, services, namespaces
MAX_REPLICAS = 200         # spec.replicas of one Deployment/ReplicaSet/RC
MAX_COMMAND_BYTES = 4096   # one console line
MAX_FILE_BYTES = 256 * 1024
# manifests (simulator/api/decode.py): objects in one file, nesting, and the values one document may
# expand to once YAML aliases are followed (a "billion laughs" file is refused)
MAX_DOCUMENTS = 100
MAX_DEPTH = 64
MAX_EXPANDED_NODES = 20_000
MAX_FILES = 50             # files in the working directory
MAX_OUTPUT_BYTES = 1024 * 1024  # stdout of one command, beyond which it is cut
MAX_WAIT_SECONDS = 3600.0  # the longest a blocking command may let simulated time run

COUNTED_KINDS = ("Deployment", "ReplicaSet", "ReplicationController", "Service", "Namespace")

# ---- cost of one command (simulator/cpu_budget.py, simulator/safe_regex.py) ----------------------
# CPU one synchronous slice of a command may use (its start, or one step of a blocking command),
# controllers' reactions to its writes included. The heaviest slice of a 1,000-replica create and
# rollout (5× the sandbox's pod cap) measured 110-170 ms; a command that reaches the budget ends
# with "error: this command used more than N ms of CPU" and the cluster is rolled back, so one
# learner cannot hold the event loop for longer than this.
COMMAND_CPU_MS = 1000
# CPU a learner's regular expression may spend matching in one command, for the patterns that need
# the backtracking engine (backreferences, lookarounds); linear-time RE2 patterns count only
# against COMMAND_CPU_MS.
REGEX_MATCH_MS = 200
MAX_PIPE_STAGES = 16              # commands in one pipeline
MAX_PIPE_BYTES = MAX_OUTPUT_BYTES  # text handed from one pipeline stage to the next
MAX_SED_COMMANDS = 200            # commands in one sed script (all -e together)
MAX_SED_WORK = 100_000            # input lines × script commands of one sed run
MAX_SCRIPT_COMMANDS = 200         # simple commands a busybox `sh -c` script runs in one container start
MAX_JSONPATH_RESULTS = 200_000    # values one jsonpath/custom-columns template may produce
MAX_RUNNING_COMMANDS = 8          # blocking commands (`get -w`, `rollout status`...) running at once
MAX_CONTAINERS_PER_POD = 10       # containers + initContainers of one pod (or pod template)
CONTAINERS_PER_POD_ON_AVERAGE = 2  # replicas × containers of one Deployment/ReplicaSet/RC: this × MAX_PODS


def max_containers() -> int:
    """Containers one workload may ask for. A function, so lifting MAX_PODS (bench/bench_simulator.py)
    lifts it too. (Checked per object, in O(1): a sandbox-wide count at every pod creation made
    creating many pods quadratic.)"""
    return CONTAINERS_PER_POD_ON_AVERAGE * MAX_PODS
