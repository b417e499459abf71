"""Shared set-up for the kubectl verb tests: a cluster with the kubia Deployment running."""
from simulator import Cluster

KUBIA = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: kubia
  labels: {app: kubia}
spec:
  replicas: 2
  selector: {matchLabels: {app: kubia}}
  template:
    metadata: {labels: {app: kubia}}
    spec:
      containers:
      - name: nodejs
        image: luksa/kubia:v1
        ports: [{containerPort: 8080}]
"""


def kubia_cluster(seed: int = 0) -> Cluster:
    c = Cluster(seed=seed)
    c.files["kubia.yaml"] = KUBIA
    assert c.run("kubectl create -f kubia.yaml").exit_code == 0
    c.advance(30)
    return c


def pod_names(c, label="app=kubia"):
    key, _, value = label.partition("=")
    return sorted(p["metadata"]["name"] for p in c.list("Pod", "default")
                  if (p["metadata"].get("labels") or {}).get(key) == value)
