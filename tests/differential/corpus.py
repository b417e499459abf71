"""The scripts the differential suite runs: every ▶ command (`run` fences) of every lesson, every
exercise solution, and flows over every reference manifest (tests/fixtures/reference-manifests)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "tutorial" / "content"
MANIFESTS = ROOT / "tests" / "fixtures" / "reference-manifests"
_RUN_FENCE = re.compile(r"^```run[^\n]*\n(.*?)^```", re.M | re.S)


@dataclass(frozen=True)
class Script:
    name: str
    files: dict
    steps: tuple
    seed: int = 0


def _lesson_files(folder: Path, meta: dict) -> dict[str, str]:
    files = {}
    manifests = folder / "manifests"
    if manifests.is_dir():
        for path in sorted(manifests.iterdir()):
            if path.is_file() and not path.name.startswith("."):
                files[path.name] = path.read_text(encoding="utf-8")
    declared = meta.get("files")
    if isinstance(declared, dict):
        files.update({str(k): str(v) for k, v in declared.items()})
    elif isinstance(declared, list):
        for rel in declared:
            path = folder / str(rel)
            files[path.name] = path.read_text(encoding="utf-8")
    return files


def run_commands(markdown: str) -> list[str]:
    out = []
    for block in _RUN_FENCE.findall(markdown):
        out.extend(line.strip() for line in block.splitlines() if line.strip())
    return out


def lesson_scripts() -> list[Script]:
    scripts = []
    for folder in sorted(p for p in CONTENT.iterdir() if p.is_dir() and re.match(r"\d\d-", p.name)):
        meta = yaml.safe_load((folder / "lesson.yaml").read_text(encoding="utf-8")) or {}
        files = _lesson_files(folder, meta)
        setup = [str(s) for s in meta.get("setup") or []]
        commands = run_commands((folder / "lesson.en.md").read_text(encoding="utf-8"))
        for extra in run_commands((folder / "lesson.ko.md").read_text(encoding="utf-8")):
            if extra not in commands:
                commands.append(extra)
        scripts.append(Script(f"{folder.name}/text", files, tuple(setup + commands)))
        ex_path = folder / "exercises.yaml"
        if ex_path.exists():
            exercises = (yaml.safe_load(ex_path.read_text(encoding="utf-8")) or {}).get("exercises") or []
            for ex in exercises:
                solution = [str(s) for s in ex.get("solution") or []]
                if solution:
                    scripts.append(Script(f"{folder.name}/{ex.get('id')}", files, tuple(setup + solution)))
    return scripts


def _manifest_files() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(MANIFESTS.iterdir())
            if p.suffix in (".yaml", ".yml", ".json")}


def manifest_scripts() -> list[Script]:
    """A short flow over every reference manifest, and one deep flow over a Deployment."""
    files = _manifest_files()
    scripts = []
    for name in files:
        if name.startswith("patch-file") or name == "SOURCES.yaml":
            continue
        steps = (f"kubectl create -f {name}", f"kubectl get -f {name} -o wide", "# advance 30",
                 f"kubectl get -f {name} -o yaml", f"kubectl describe -f {name}", f"kubectl apply -f {name}",
                 f"kubectl delete -f {name}")
        scripts.append(Script(f"manifest/{name}", files, steps))
    scripts.append(Script("flow/deployment", files, DEPLOYMENT_FLOW))
    scripts.append(Script("flow/streams", files, (
        "kubectl create -f kubia-deployment-v1.yaml", "# advance 20", "kubectl logs -f deployment/kubia",
        "kubectl get pods -w", "kubectl delete pod --all", "kubectl get pods", "kubectl get rs -w")))
    return scripts


DEPLOYMENT_FLOW = (
    "kubectl apply -f kubia-deployment-v1.yaml",
    "kubectl rollout status deployment kubia",
    "kubectl get deploy,rs,pods",
    "kubectl get deploy kubia -o jsonpath={.spec.template.spec.containers[0].image}",
    "kubectl get pods -o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image",
    "kubectl set image deployment kubia nodejs=luksa/kubia:v2",
    "kubectl rollout status deployment kubia",
    "kubectl rollout history deployment kubia",
    "kubectl set resources deployment kubia -c=nodejs --limits=cpu=200m,memory=512Mi",
    "kubectl set env deployment kubia MODE=test",
    "kubectl rollout status deployment kubia",
    "kubectl scale deployment kubia --replicas=5",
    "# advance 30",
    "kubectl get deployment kubia",
    "kubectl patch deployment kubia -p '{\"spec\":{\"minReadySeconds\":5}}'",
    "kubectl patch deployment kubia --type=merge -p '{\"metadata\":{\"labels\":{\"tier\":\"web\"}}}'",
    "kubectl patch deployment kubia --type=json -p '[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":3}]'",
    "kubectl patch deployment kubia --patch-file patch-file.yaml",
    "kubectl patch deployment kubia --type=json -p '[{\"op\":\"remove\",\"path\":\"/spec/nope\"}]'",
    "# advance 30",
    "KUBE_EDITOR=\"sed -i 's/minReadySeconds: 5/minReadySeconds: 3/'\" kubectl edit deployment kubia",
    "kubectl rollout pause deployment kubia",
    "kubectl set image deployment kubia nodejs=luksa/kubia:v3",
    "kubectl rollout resume deployment kubia",
    "kubectl rollout status deployment kubia",
    "kubectl rollout undo deployment kubia",
    "kubectl rollout status deployment kubia",
    "kubectl rollout undo deployment kubia --to-revision=1",
    "kubectl rollout restart deployment kubia",
    "kubectl rollout status deployment kubia",
    "kubectl rollout history deployment kubia --revision=2",
    "kubectl label deployment kubia env=dev",
    "kubectl annotate deployment kubia owner=team-a",
    "kubectl label deployment kubia env=prod",
    "kubectl label deployment kubia env-",
    "kubectl expose deployment kubia --port=80 --target-port=8080",
    "kubectl get svc kubia -o wide",
    "kubectl get endpoints kubia",
    "kubectl describe deployment kubia",
    "kubectl get events --field-selector involvedObject.kind=Deployment",
    "kubectl get pods -l app=kubia --show-labels",
    "kubectl get pods -w",
    "kubectl logs deployment/kubia",
    "kubectl logs deployment/kubia --tail=1 --timestamps",
    "kubectl get nodes",
    "kubectl get pods --sort-by=.metadata.creationTimestamp",
    "kubectl get deploy kubia -o go-template={{.spec.replicas}}",
    "kubectl wait --for=condition=available deployment/kubia --timeout=60s",
    "kubectl get rs -l app=kubia -o wide",
    "kubectl get pods --field-selector status.phase=Running -o name",
    "kubectl get ns",
    "kubectl api-versions",
    "kubectl api-resources",
    "kubectl run tmp --image=busybox -- sleep 3600",
    "# advance 10",
    "kubectl get pod tmp -o wide",
    "kubectl delete pod tmp --now",
    "kubectl get deploy kubia -o name",
    "kubectl get rs -o json",
    "kubectl scale deployment kubia --replicas=2 --dry-run=server",
    "kubectl delete deployment kubia --dry-run=server",
    "kubectl create deployment web --image=nginx:1.25 --replicas=2 --port=80",
    "kubectl create service nodeport web --tcp=80:80",
    "kubectl create namespace lab",
    "# advance 20",
    "kubectl get deploy web -o yaml",
    "kubectl get svc web -o yaml",
    "kubectl get ns lab",
    "kubectl delete deployment web",
    "kubectl delete svc web",
    "kubectl delete namespace lab",
    "kubectl delete pod nope",
    "kubectl get deployment nope",
    "kubectl scale deployment kubia --replicas=-1",
    "kubectl create -f kubia-deployment-v1.yaml",
    "kubectl apply -f err-unknown-field.yaml",
    "kubectl apply -f err-selector-mismatch.yaml",
    "kubectl apply -f err-bad-yaml-colon.yaml",
    "kubectl delete deployment kubia",
    "kubectl delete svc kubia",
    "kubectl get all",
)


# Files the feature flows use (issue 17's surface: ConfigMaps/Secrets, init containers, field
# validation, subresources), beside the reference manifests.
FEATURE_FILES = {
    "init-pod.yaml": """apiVersion: v1
kind: Pod
metadata:
  name: init-demo
  labels: {app: init-demo}
spec:
  initContainers:
  - name: setup
    image: busybox
    command: ["sh", "-c", "echo preparing; sleep 5"]
  containers:
  - name: app
    image: nginx:1.25
""",
    "web-config.yaml": """apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  MODE: prod
  greeting.txt: hello
""",
    "unknown-field-deploy.yaml": """apiVersion: apps/v1
kind: Deployment
metadata:
  name: strict
spec:
  replicas: 1
  selector: {matchLabels: {app: strict}}
  template:
    metadata: {labels: {app: strict}}
    spec:
      containers:
      - name: c
        image: nginx:1.25
        imagePullPolicie: Always
""",
    "stale-config.yaml": """apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  resourceVersion: "1"
data:
  MODE: stale
""",
    "web-svc.yaml": """apiVersion: v1
kind: Service
metadata:
  name: web-svc
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 8080
""",
}


def feature_scripts() -> list[Script]:
    files = dict(FEATURE_FILES)
    return [Script(name, files, steps) for name, steps in FEATURE_FLOWS.items()]


FEATURE_FLOWS = {
    "feature/config": (
        "kubectl create configmap app-config --from-literal=MODE=prod --from-literal=LEVEL=debug",
        "kubectl create configmap files --from-file=web-svc.yaml",
        "kubectl create -f web-config.yaml",
        "kubectl get configmap app-config -o yaml",
        "kubectl get cm files -o json",
        "kubectl describe configmap app-config",
        "kubectl create secret generic creds --from-literal=user=admin --from-literal=pass=s3cret",
        "kubectl get secret creds -o yaml",
        "kubectl describe secret creds",
        "kubectl get cm,secret",
        "kubectl create deployment web --image=nginx:1.25 --replicas=2",
        # set_env.go ranges over the source's Data map (Go's random order): one key each here
        "kubectl create configmap env-config --from-literal=MODE=prod",
        "kubectl create secret generic db --from-literal=user=admin",
        "kubectl set env deployment/web --from=configmap/env-config",
        "kubectl set env deployment/web --from=secret/db --prefix=DB_",
        "kubectl rollout status deployment web",
        "kubectl get deploy web -o jsonpath={.spec.template.spec.containers[0].env}",
        "kubectl rollout restart deployment web",
        "kubectl rollout status deployment web",
        "kubectl rollout history deployment web",
        "kubectl rollout history deployment web --revision=2 -o yaml",
        "kubectl rollout history deployment web --revision=1 -o json",
        "kubectl rollout history deployment web --revision=1 -o name",
        "kubectl rollout history deployment web --revision=1 -o jsonpath={.spec.template.spec.containers[0].image}",
        "kubectl delete cm app-config files web-config env-config",
        "kubectl delete secret creds db",
    ),
    "feature/templates-and-labels": (
        "kubectl create deployment web --image=nginx:1.25 --replicas=2",
        "kubectl rollout status deployment web",
        "kubectl get deploy web -o go-template={{.metadata.name}}:{{.spec.replicas}}",
        "kubectl get pods -o go-template='{{range .items}}{{.metadata.name}}{{\"\\n\"}}{{end}}'",
        "kubectl get deploy web --template={{.kind}} -o go-template",
        "kubectl get deploy --sort-by=.metadata.name -o name",
        "kubectl get pods --sort-by={.metadata.name}",
        "kubectl set serviceaccount deployment web default",
        "kubectl label deployment web tier=front",
        "kubectl label deployment web tier=back",
        "kubectl label deployment web tier=back --overwrite",
        "kubectl annotate deployment --all note=x",
        "kubectl label pods -l app=web role=w",
        "kubectl label deployment web tier- env=dev",
        "kubectl scale deployment web --current-replicas=3 --replicas=1",
        "kubectl scale deployment web --current-replicas=2 --replicas=1",
        "kubectl wait --for=condition=available deployment/web --timeout=60s",
        "kubectl wait --for=jsonpath={.status.readyReplicas}=1 deploy web -o name",
        "kubectl wait --for=condition=Progressing=false deploy/web --timeout=0",
        "kubectl wait --for=jsonpath={.spec}=x deploy/web",
        "kubectl wait deploy/web",
        "kubectl wait --for=condition=available deploy -l app=nope",
        "kubectl wait --for=delete pod/nope",
        "kubectl wait --help",
        "kubectl delete deployment web --dry-run=client",
        "kubectl delete deployment web",
        "kubectl wait --for=delete deployment/web --timeout=30s",
    ),
    "feature/pods-and-validation": (
        'kubectl create -f init-pod.yaml',
        'kubectl get pods',
        '# advance 2',
        'kubectl get pods',
        'kubectl get pod init-demo -o jsonpath={.status.initContainerStatuses[0].state}',
        '# advance 10',
        'kubectl get pods',
        'kubectl logs init-demo -c setup',
        'kubectl logs init-demo -c nope',
        'kubectl describe pod init-demo',
        'kubectl logs init-demo',
        'kubectl create deployment web --image=nginx:1.25 --replicas=2',
        'kubectl set image deployment web nginx=nginx:1.26 --local -o yaml -f unknown-field-deploy.yaml',
        'kubectl label -f web-svc.yaml --local tier=x -o name',
        'kubectl expose -f web-svc.yaml --port=90 --name=web-svc2',
        'kubectl expose deployment web --port=80 --overrides={"spec":{"type":"NodePort"}}',
        'kubectl get svc',
        'kubectl create -f unknown-field-deploy.yaml',
        'kubectl create -f unknown-field-deploy.yaml --validate=warn',
        'kubectl delete deployment strict',
        'kubectl create -f unknown-field-deploy.yaml --validate=ignore',
        'kubectl create -f unknown-field-deploy.yaml --validate=nope',
        'kubectl replace -f web-config.yaml',
        'kubectl create -f web-config.yaml',
        'kubectl replace -f web-config.yaml --save-config',
        'kubectl get cm web-config -o jsonpath={.metadata.annotations}',
        'kubectl patch deployment web --subresource=scale --type=merge -p {"spec":{"replicas":3}}',
        'kubectl patch deployment web --subresource=status --type=merge -p {"status":{"replicas":7}}',
        'kubectl get deployment web -o jsonpath={.spec.replicas}',
        'kubectl delete pods',
        'kubectl delete pods --all -l app=web',
        'kubectl delete pod init-demo web',
        'kubectl delete --all',
        'kubectl delete svc --all',
        'kubectl replace -f stale-config.yaml',
        'kubectl apply -f stale-config.yaml',
        'kubectl get cm web-config -o jsonpath={.data.MODE}',
        'kubectl apply --server-side -f web-config.yaml',
    ),
    "feature/wait-sort-version": (
        'kubectl create deployment web --image=nginx:1.25 --replicas=3',
        'kubectl create configmap cfg --from-literal=a=b',
        'kubectl wait --for=create configmap/cfg --timeout=10s',
        'kubectl wait --for=condition=Ready pod -l app=web --timeout=120s',
        'kubectl get pods --sort-by=.status.startTime -o name',
        'kubectl get pods --sort-by=.spec.containers[0].image',
        'kubectl get deploy,cm --sort-by=.metadata.name',
        'kubectl get deploy,cm --sort-by=.metadata.name -o name',
        'kubectl describe ns default',
        'kubectl version --client',
        'kubectl version -o json --client',
        'kubectl wait --for=jsonpath={.status.phase}=Running pod -l app=web -o yaml',
    ),
}


def all_scripts() -> list[Script]:
    return lesson_scripts() + manifest_scripts() + feature_scripts()
