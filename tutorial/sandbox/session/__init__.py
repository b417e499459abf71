"""The sandbox session layer: one live sandbox in this process and the clients attached to it.

session.py (SandboxSession: the cluster, its terminals, saving under the lease, grading),
messages.py (typed messages parsed once at the edge), terminals.py (one running command,
transcript and ↑/↓ history per terminal), driving.py (the clock through the process scheduler),
grading.py (exercise grading), outbox.py (one frame per message to every attached client),
hub.py (this process's hosted sessions). ARCHITECTURE.md one folder up draws the flow.
"""
