"""A Kubernetes API endpoint per sandbox for the learner's own kubectl (issue 16, web side).

tokens.py (bearer tokens: random, stored hashed, revocable, regenerated on request),
ratelimit.py (per-token request rate and open watches), asgi.py (the HTTP application that routes
`/<prefix>/<sandbox-id>/…` to `run_api_request`), kubeconfig.py (the downloadable kubeconfig),
views.py + urls.py (its download and revoke views). The API itself is simulator/rest (Cluster.api).

Wiring (left to the session layer's owner):
- tutorial/asgi.py: send HTTP whose path starts with the prefix to
  `KubeApiApp(run_api_request, prefix="/k8s/")`, everything else to Django (no cookie or session
  middleware on that path).
- `async run_api_request(sandbox_id: str, request: ApiRequest) -> simulator.rest.Response`: run
  `cluster.api(request.method, request.path, query=request.query, headers=request.headers,
  body=request.body)` on the live sandbox (in this process or the one hosting it), serialised with
  the sandbox's other work; broadcast the change to the browser as for a console command. A
  streaming body (watch, `logs -f`) yields b"" while idle: keep the sandbox's clock running at its
  speed while such a stream is open, and read on.
- urls: `path("kubeapi/", include("tutorial.kubeapi.urls"))` inside i18n_patterns gives the lesson
  panel's link `…/kubeapi/<slug>/kubeconfig`.
- settings: KUBEAPI_PUBLIC_URL (the https origin learners reach; kubectl sends tokens only over
  TLS) and KUBEAPI_PREFIX (default `k8s`).
"""
