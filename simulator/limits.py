"""Rollout Lab's own caps, so one learner cannot exhaust a shared server.

They are not Kubernetes limits; when one is hit the learner gets a plain `error: …` line that
names the cap. Chosen to be far above what any lesson needs.
"""
MAX_PODS = 200             # pods in the whole sandbox cluster (terminating ones included)
MAX_OBJECTS = 100          # user-level objects: deployments, replicasets, RCs, services, namespaces
MAX_REPLICAS = 200         # spec.replicas of one Deployment/ReplicaSet/RC
MAX_COMMAND_BYTES = 4096   # one console line
MAX_FILE_BYTES = 256 * 1024
MAX_FILES = 50             # files in the working directory
MAX_OUTPUT_BYTES = 1024 * 1024  # stdout of one command, beyond which it is cut
MAX_WAIT_SECONDS = 3600.0  # the longest a blocking command may let simulated time run

COUNTED_KINDS = ("Deployment", "ReplicaSet", "ReplicationController", "Service", "Namespace")
