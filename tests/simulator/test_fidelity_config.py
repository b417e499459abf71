"""ConfigMaps and Secrets as exercises use them. Sources: kubectl pkg/cmd/create/create_configmap.go
and create_secret.go (literal/file/env-file sources and their errors), pkg/printers/internalversion
printConfigMap/printSecret, pkg/describe ConfigMapDescriber/SecretDescriber, core validation
ValidateConfigMapUpdate/ValidateSecret (immutable, config keys), apimachinery/Go encoding/json
(`illegal base64 data at input byte N`), kubelet pkg/kubelet/kubelet_pods.go makeEnvironmentVariables
(`configmap "x" not found`, `couldn't find key k in ConfigMap ns/x`, CreateContainerConfigError),
the configmap volume plugin (FailedMount), kubectl pkg/cmd/set/set_env.go --from/--keys/--prefix,
and the kubernetes.io tasks "Configure a Pod to Use a ConfigMap" and "Distribute Credentials
Securely Using Secrets" (the "change the ConfigMap, then kubectl rollout restart" flow)."""
from __future__ import annotations

import base64
import json

import pytest

from simulator import Cluster

ENV_POD = """apiVersion: v1
kind: Pod
metadata:
  name: envpod
spec:
  restartPolicy: Never
  containers:
  - name: c
    image: busybox:1.36
    command: ["sh", "-c", "echo player=$PLAYER ui=$UI_COLOR secret=$PASSWORD; echo '$PLAYER'; sleep 3600"]
    args: []
    env:
    - name: PLAYER
      valueFrom:
        configMapKeyRef: {name: game, key: player}
    - name: PASSWORD
      valueFrom:
        secretKeyRef: {name: creds, key: password}
    envFrom:
    - prefix: UI_
      configMapRef: {name: ui}
"""
WEB = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        volumeMounts: [{name: html, mountPath: /usr/share/nginx/html}]
      volumes:
      - name: html
        configMap: {name: site}
"""


def _run(c: Cluster, line: str, code: int = 0):
    r = c.run(line)
    assert r.exit_code == code, (line, r.stdout, r.stderr)
    return r


@pytest.fixture
def c():
    return Cluster(seed=0)


def test_create_configmap_sources(c):
    c.files["game.properties"] = "enemies=aliens\nlives=3\n"
    c.files["ui.env"] = "# colours\nCOLOR=blue\nTEXTMODE=true\n"
    c.files["conf/a.txt"] = "A"
    c.files["conf/b.txt"] = "B"
    assert _run(c, "kubectl create configmap game --from-literal=player=3 --from-literal=eq=x=y "
                   "--from-file=game.properties --from-file=renamed=game.properties").stdout == "configmap/game created\n"
    data = json.loads(_run(c, "kubectl get cm game -o json").stdout)["data"]
    assert data == {"player": "3", "eq": "x=y", "game.properties": "enemies=aliens\nlives=3\n",
                    "renamed": "enemies=aliens\nlives=3\n"}
    _run(c, "kubectl create cm ui --from-env-file=ui.env")
    assert json.loads(_run(c, "kubectl get cm ui -o json").stdout)["data"] == {"COLOR": "blue", "TEXTMODE": "true"}
    _run(c, "kubectl create cm dir --from-file=conf")
    assert json.loads(_run(c, "kubectl get cm dir -o json").stdout)["data"] == {"a.txt": "A", "b.txt": "B"}
    assert _run(c, "kubectl get cm").stdout.splitlines() == [
        "NAME   DATA   AGE", "dir    2      0s", "game   4      0s", "ui     2      0s"]
    errors = {
        "kubectl create cm x --from-literal=novalue": "error: invalid literal source novalue, expected key=value",
        "kubectl create cm x --from-literal=a=1 --from-literal=a=2":
            'error: cannot add key "a", another key by that name already exists in Data for ConfigMap "x"',
        "kubectl create cm x --from-env-file=ui.env --from-literal=a=1":
            "error: from-env-file cannot be combined with from-file or from-literal",
        "kubectl create cm x --from-file=nope.txt": "error: error reading nope.txt: no such file or directory",
        "kubectl create cm x --from-file=k=conf": "error: cannot give a key name for a directory path",
        "kubectl create cm game --from-literal=a=1": 'error: failed to create configmap: configmaps "game" already exists',
    }
    for line, message in errors.items():
        assert _run(c, line, 1).stderr == message + "\n", line


def test_secrets(c):
    assert _run(c, "kubectl create secret generic creds --from-literal=username=admin "
                   "--from-literal=password='S!B\\*d$zDsb='").stdout == "secret/creds created\n"
    s = json.loads(_run(c, "kubectl get secret creds -o json").stdout)
    assert (s["type"], base64.b64decode(s["data"]["username"])) == ("Opaque", b"admin")
    assert _run(c, "kubectl get secrets").stdout.splitlines() == ["NAME    TYPE     DATA   AGE", "creds   Opaque   2      0s"]
    out = _run(c, "kubectl describe secret creds").stdout
    assert "Type:  Opaque\n\nData\n====\npassword:  12 bytes\nusername:  5 bytes\n" in out
    # stringData is converted into data; bad base64 is the decoder's error
    c.files["s.yaml"] = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {token: abc}\n"
    _run(c, "kubectl apply -f s.yaml")
    s = json.loads(_run(c, "kubectl get secret s -o json").stdout)
    assert s["data"] == {"token": "YWJj"} and "stringData" not in s
    c.files["bad.yaml"] = "apiVersion: v1\nkind: Secret\nmetadata: {name: bad}\ndata: {token: hello}\n"
    assert _run(c, "kubectl apply -f bad.yaml", 1).stderr == (
        'Error from server (BadRequest): error when creating "bad.yaml": Secret in version "v1" cannot be handled '
        "as a Secret: illegal base64 data at input byte 4\n")


def test_immutable_configmap(c):
    c.files["cm.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: frozen}\nimmutable: true\ndata: {a: '1'}\n"
    _run(c, "kubectl apply -f cm.yaml")
    r = _run(c, """kubectl patch cm frozen -p '{"data":{"a":"2"}}'""", 1)
    assert r.stderr == 'The ConfigMap "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set\n'
    r = _run(c, """kubectl patch cm frozen --type=merge -p '{"data":{"bad key":"2"}}'""", 1)
    assert "data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric" in r.stderr


def test_env_from_configmaps_and_secrets(c):
    c.files["pod.yaml"] = ENV_POD
    _run(c, "kubectl apply -f pod.yaml")
    c.advance(8)
    pod = json.loads(_run(c, "kubectl get pod envpod -o json").stdout)
    waiting = pod["status"]["containerStatuses"][0]["state"]["waiting"]
    assert waiting == {"reason": "CreateContainerConfigError", "message": 'configmap "ui" not found'}
    assert "CreateContainerConfigError" in _run(c, "kubectl get pod envpod").stdout
    _run(c, "kubectl create configmap ui --from-literal=COLOR=blue")
    c.advance(11)
    waiting = json.loads(_run(c, "kubectl get pod envpod -o json").stdout)["status"]["containerStatuses"][0]["state"]
    assert waiting["waiting"]["message"] == 'configmap "game" not found'
    _run(c, "kubectl create configmap game --from-literal=other=1")
    c.advance(11)
    waiting = json.loads(_run(c, "kubectl get pod envpod -o json").stdout)["status"]["containerStatuses"][0]["state"]
    assert waiting["waiting"]["message"] == "couldn't find key player in ConfigMap default/game"
    _run(c, "kubectl delete cm game")
    _run(c, "kubectl create configmap game --from-literal=player=3")
    _run(c, "kubectl create secret generic creds --from-literal=password=s3cret")
    c.advance(15)
    assert "Running" in _run(c, "kubectl get pod envpod").stdout
    # sh expands $VAR (not inside single quotes)
    assert _run(c, "kubectl logs envpod").stdout == "player=3 ui=blue secret=s3cret\n$PLAYER\n"


def test_kubelet_expands_dollar_parens_in_command(c):
    c.files["p.yaml"] = """apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  restartPolicy: Never
  containers:
  - name: c
    image: busybox
    command: ["/bin/echo", "$(MESSAGE)", "$$(MESSAGE)", "$(UNSET)"]
    env: [{name: MESSAGE, value: hello}]
"""
    _run(c, "kubectl apply -f p.yaml")
    c.advance(15)
    assert _run(c, "kubectl logs p").stdout == "hello $(MESSAGE) $(UNSET)\n"


def test_configmap_volume_and_rollout_restart_flow(c):
    c.files["web.yaml"] = WEB
    _run(c, "kubectl apply -f web.yaml")
    c.advance(10)
    assert "ContainerCreating" in _run(c, "kubectl get pods -l app=web").stdout
    events = [e for e in c.list("Event", "default") if e["reason"] == "FailedMount"]
    assert events and events[0]["message"] == 'MountVolume.SetUp failed for volume "html" : configmap "site" not found'
    _run(c, "kubectl create cm site --from-literal=index.html='<h1>v1</h1>'")
    c.advance(15)
    _run(c, "kubectl expose deploy web --port=80")
    c.advance(2)
    assert _run(c, "curl -s http://web").stdout == "<h1>v1</h1>"
    # change the ConfigMap, then restart the rollout: the new pods serve the new content
    _run(c, "kubectl create cm site --from-literal=index.html='<h1>v2</h1>' --dry-run=client -o yaml | kubectl apply -f -")
    _run(c, "kubectl rollout restart deploy web")
    c.advance(30)
    assert _run(c, "curl -s http://web").stdout == "<h1>v2</h1>"


def test_set_env_from_configmap(c):
    _run(c, "kubectl create deployment web --image=nginx:1.25")
    _run(c, "kubectl create configmap app-config --from-literal=log.level=debug --from-literal=MODE=prod")
    r = _run(c, "kubectl set env deploy/web --from=configmap/app-config")
    assert (r.stdout, r.stderr) == ("deployment.apps/web env updated\n", "Warning: key log.level transferred to LOG_LEVEL\n")
    assert _run(c, "kubectl set env deploy/web --list").stdout == (
        "# deployments web, container nginx\n# MODE from configmap app-config, key MODE\n"
        "# LOG_LEVEL from configmap app-config, key log.level\n")  # keys in sorted order
    _run(c, "kubectl set env deploy/web --from=configmap/app-config --keys=MODE --prefix=APP_")
    env = json.loads(_run(c, "kubectl get deploy web -o json").stdout)["spec"]["template"]["spec"]["containers"][0]["env"]
    assert env[-1] == {"name": "APP_MODE", "valueFrom": {"configMapKeyRef": {"key": "MODE", "name": "app-config"}}}
    assert _run(c, "kubectl set env deploy/web --keys=x", 1).stderr == \
        "error: when specifying --keys, a configmap or secret must be provided with --from\n"


def test_describe_shows_env_sources(c):
    c.files["pod.yaml"] = ENV_POD
    for line in ("kubectl create configmap game --from-literal=player=3", "kubectl create configmap ui --from-literal=COLOR=blue",
                 "kubectl create secret generic creds --from-literal=password=s3cret", "kubectl apply -f pod.yaml"):
        _run(c, line)
    c.advance(15)
    out = _run(c, "kubectl describe pod envpod").stdout
    # describe.go describeContainerEnvFrom, then the env list
    assert ("    Environment Variables from:\n      ui  ConfigMap with prefix 'UI_'  Optional: false\n"
            "    Environment:\n      PLAYER:    <set to the key 'player' of config map 'game'>  Optional: false\n") in out
