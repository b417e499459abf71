"""`kubectl create deployment|namespace|service …` and `kubectl run` (kubectl pkg/cmd/create/
create_deployment.go, create_namespace.go, create_service.go; pkg/cmd/run/run.go). Dry-run goldens are
the generators' objects as kubectl v1.34 prints them (no `creationTimestamp: null`: apimachinery
ObjectMeta is `omitempty,omitzero` since 2025)."""
from simulator import Cluster

DEPLOY_YAML = """apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: kubia
  name: kubia
spec:
  replicas: 1
  selector:
    matchLabels:
      app: kubia
  strategy: {}
  template:
    metadata:
      labels:
        app: kubia
    spec:
      containers:
      - image: luksa/kubia:v1
        name: kubia
        resources: {}
status: {}
"""


def test_create_deployment_dry_run_yaml_and_real_create():
    c = Cluster(seed=0)
    r = c.run("kubectl create deployment kubia --image=luksa/kubia:v1 --dry-run=client -o yaml")
    assert (r.stdout, r.stderr, r.exit_code) == (DEPLOY_YAML, "", 0)
    assert c.list("Deployment") == []
    r = c.run("kubectl create deployment kubia --image=luksa/kubia:v1 --replicas=3 --port=8080")
    assert r.stdout == "deployment.apps/kubia created\n"
    c.advance(30)
    d = c.get("Deployment", "default", "kubia")
    assert d["spec"]["replicas"] == 3 and d["status"]["readyReplicas"] == 3
    assert d["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] == 8080
    r = c.run("kubectl create deployment kubia --image=luksa/kubia:v1")
    assert r.stderr == 'error: failed to create deployment: deployments.apps "kubia" already exists\n'


def test_container_name_rule():
    # buildPodSpec + sanitizeAndUniquify: last path segment, tag cut, '.'/'_' → '-' plus 5 random chars
    c = Cluster(seed=0)
    c.run("kubectl create deployment a --image=gcr.io/google-samples/kubernetes-bootcamp:v1")
    c.run("kubectl create deployment b --image=gcr.io/google-samples/node_hello.v2:1.0")
    names = {d["metadata"]["name"]: d["spec"]["template"]["spec"]["containers"][0]["name"]
             for d in c.list("Deployment")}
    assert names["a"] == "kubernetes-bootcamp"
    assert names["b"].startswith("node-hello-v2-") and len(names["b"]) == len("node-hello-v2-") + 5
    assert set(names["b"][-5:]) <= set("bcdfghjklmnpqrstvwxz2456789")


def test_create_namespace_and_service_generators():
    c = Cluster(seed=0)
    assert c.run("kubectl create ns dev --dry-run=client -o yaml").stdout == (
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\nspec: {}\nstatus: {}\n")
    assert c.run("kubectl create namespace dev").stdout == "namespace/dev created\n"
    assert c.run("kubectl create namespace dev").stderr == (
        'Error from server (AlreadyExists): namespaces "dev" already exists\n')
    r = c.run("kubectl create service clusterip my-cs --tcp=5678:8080 --dry-run=client -o yaml")
    assert r.stdout == ("apiVersion: v1\nkind: Service\nmetadata:\n  labels:\n    app: my-cs\n  name: my-cs\nspec:\n"
                        "  ports:\n  - name: 5678-8080\n    port: 5678\n    protocol: TCP\n    targetPort: 8080\n"
                        "  selector:\n    app: my-cs\n  type: ClusterIP\nstatus:\n  loadBalancer: {}\n")
    assert c.run("kubectl create service nodeport np --tcp=80:8080").stdout == "service/np created\n"
    assert 30000 <= c.get("Service", "default", "np")["spec"]["ports"][0]["nodePort"] < 32768
    assert c.run("kubectl create service clusterip x").stderr == (
        "error: at least one tcp port specifier must be provided\n")
    assert c.run("kubectl create service clusterip x --tcp=http").stderr == (
        'error: strconv.ParseUint: parsing "http": invalid syntax\n')


def test_run_pod_generator():
    c = Cluster(seed=0)
    r = c.run("kubectl run nginx --image=nginx --dry-run=client -o yaml")
    assert r.stdout == ("apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    run: nginx\n  name: nginx\nspec:\n"
                        "  containers:\n  - image: nginx\n    name: nginx\n    resources: {}\n"
                        "  dnsPolicy: ClusterFirst\n  restartPolicy: Always\nstatus: {}\n")
    assert c.run("kubectl run kubia --image=luksa/kubia:v1 --port=8080 --labels=app=kubia").stdout == (
        "pod/kubia created\n")
    assert c.run("kubectl run bb --image=busybox --restart=Never --command -- sleep 3600").exit_code == 0
    c.advance(30)
    pod = c.get("Pod", "default", "bb")
    assert pod["spec"]["containers"][0]["command"] == ["sleep", "3600"]
    assert pod["spec"]["restartPolicy"] == "Never" and pod["status"]["phase"] == "Running"
    assert c.get("Pod", "default", "kubia")["metadata"]["labels"] == {"app": "kubia"}
    assert c.run("kubectl run x --image=nginx --restart=Sometimes").stderr == (
        "error: invalid restart policy: Sometimes\n")
    assert c.run("kubectl run kubia --image=nginx").stderr == (
        'Error from server (AlreadyExists): pods "kubia" already exists\n')
