"""A Kubernetes API endpoint per sandbox for the learner's own kubectl (issue 16, web side).

tokens.py (bearer tokens: random, stored hashed, revocable, regenerated on request),
ratelimit.py (per-token request rate and open watches), asgi.py (the HTTP application that routes
`/<prefix>/<sandbox-id>/…` to `run_api_request`), kubeconfig.py (the downloadable kubeconfig),
views.py (its download view). The API itself is simulator/rest (Cluster.api).
"""
