"""The kubeconfig a learner downloads: one cluster, one user with the bearer token, one context.
kubectl sends a token only over TLS (kubernetes/kubectl#744), so `server` must be https; a
private CA goes in certificate-authority-data."""
from __future__ import annotations

import base64

import yaml


def render(server: str, token: str, *, name: str = "rollout-lab", namespace: str = "default",
           ca_pem: bytes | None = None) -> str:
    cluster = {"server": server}
    if ca_pem:
        cluster["certificate-authority-data"] = base64.b64encode(ca_pem).decode("ascii")
    doc = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": name, "cluster": cluster}],
        "users": [{"name": f"{name}-learner", "user": {"token": token}}],
        "contexts": [{"name": name, "context": {"cluster": name, "user": f"{name}-learner", "namespace": namespace}}],
        "current-context": name,
        "preferences": {},
    }
    return yaml.safe_dump(doc, sort_keys=False)


def one_liner(server: str, token: str) -> str:
    """The example shown beside the download link."""
    return f"kubectl --server {server} --token {token} get pods"
