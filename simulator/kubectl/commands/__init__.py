"""One module per verb family. A handler is `run_x(ctx, inv)`; see simulator/kubectl/runtime.py."""
