"""A Kubernetes API endpoint per sandbox for the learner's own kubectl (issue 16, web side).

tokens.py (bearer tokens: random, stored hashed, revocable, regenerated on request),
ratelimit.py (per-token request rate and open watches), asgi.py (the HTTP application that routes
`/<prefix>/<sandbox-id>/…` to `run_api_request`), kubeconfig.py (the downloadable kubeconfig),
views.py + urls.py (its download and revoke views). The API itself is simulator/rest (Cluster.api).

Wiring: tutorial/asgi.py sends HTTP under `/<KUBEAPI_PREFIX>/` to `KubeApiApp(run_api_request)`
(no cookie or session middleware on that path); route.py's `run_api_request` runs each request as a
`ClusterCall` on the sandbox's live session (here: live.py; through the channel layer when another
process hosts it: remote.py + realtime/bridge.py's `sandbox.remote.api`, or by hosting it here); urls.py is
mounted at `kubeapi/` inside i18n_patterns (the lesson panel templates/kubeapi/_panel.html links
`…/kubeapi/<slug>/kubeconfig`); tls.py + `manage.py kubeapi_cert` make `make run`'s self-signed
HTTPS certificate, which the kubeconfig embeds unless KUBEAPI_PUBLIC_URL is set (README "Your own
kubectl").
"""
