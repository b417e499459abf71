"""A container's environment and its ConfigMap/Secret volumes, as the kubelet builds them
(pkg/kubelet/kubelet_pods.go makeEnvironmentVariables, expansion.go for `$(VAR)` in command and
args; the configmap/secret volume plugins for mounts). A missing ConfigMap or Secret, or a missing
key, keeps the container waiting with CreateContainerConfigError (env) or the pod in
ContainerCreating with a FailedMount event (volumes) until it appears."""
from __future__ import annotations

import base64
import re

from ..objects import get_path

_ENV_NAME = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$")
_K8S_REF = re.compile(r"\$\(([-._a-zA-Z][-._a-zA-Z0-9]*)\)|\$\$")


def _source(eng, ns: str, kind: str, name: str) -> dict | None:
    return eng.store.get(kind, ns, name)


def _values(obj: dict) -> dict[str, str]:
    """The decoded key → value map of a ConfigMap or Secret."""
    if obj["kind"] == "Secret":
        out = {}
        for k, v in (obj.get("data") or {}).items():
            try:
                out[k] = base64.b64decode(str(v)).decode("utf-8", "replace")
            except ValueError:
                out[k] = ""
        return out
    return {k: str(v) for k, v in (obj.get("data") or {}).items()}


def _field_ref(pod: dict, path: str) -> str:
    meta = pod.get("metadata") or {}
    simple = {"metadata.name": meta.get("name"), "metadata.namespace": meta.get("namespace"),
              "metadata.uid": meta.get("uid"), "spec.nodeName": get_path(pod, "spec.nodeName"),
              "spec.serviceAccountName": get_path(pod, "spec.serviceAccountName"),
              "status.podIP": get_path(pod, "status.podIP"), "status.hostIP": get_path(pod, "status.hostIP")}
    if path in simple:
        return str(simple[path] or "")
    m = re.match(r"^metadata\.(labels|annotations)\['(.+)'\]$", path)
    if m:
        return str((meta.get(m.group(1)) or {}).get(m.group(2), ""))
    return ""


def environment(eng, pod: dict, container: dict) -> tuple[dict[str, str], str | None]:
    """(NAME → value, error) for a container; the error is the kubelet's text."""
    ns = pod["metadata"].get("namespace", "default")
    env: dict[str, str] = {}
    for ref in container.get("envFrom") or ():
        prefix = str(ref.get("prefix") or "")
        for key, kind, what in (("configMapRef", "ConfigMap", "configmap"), ("secretRef", "Secret", "secret")):
            if key not in ref:
                continue
            name, optional = ref[key].get("name", ""), bool(ref[key].get("optional"))
            obj = _source(eng, ns, kind, name)
            if obj is None:
                if optional:
                    continue
                return env, f'{what} "{name}" not found'
            for k, v in sorted(_values(obj).items()):
                if _ENV_NAME.match(prefix + k):
                    env[prefix + k] = v
    for e in container.get("env") or ():
        name = e.get("name", "")
        if "valueFrom" not in e:
            env[name] = expand(str(e.get("value") or ""), env)
            continue
        vf = e["valueFrom"] or {}
        if "fieldRef" in vf:
            env[name] = _field_ref(pod, (vf["fieldRef"] or {}).get("fieldPath", ""))
            continue
        for key, kind, what in (("configMapKeyRef", "ConfigMap", "configmap"), ("secretKeyRef", "Secret", "secret")):
            if key not in vf:
                continue
            sel = vf[key] or {}
            src, k, optional = sel.get("name", ""), sel.get("key", ""), bool(sel.get("optional"))
            obj = _source(eng, ns, kind, src)
            if obj is None:
                if optional:
                    break
                return env, f'{what} "{src}" not found'
            values = _values(obj)
            if k not in values:
                if optional:
                    break
                return env, f"couldn't find key {k} in {kind} {ns}/{src}"
            env[name] = values[k]
    return env, None


def expand(text: str, env: dict[str, str]) -> str:
    """third_party/forked/golang/expansion: `$(VAR)` becomes its value when VAR is defined, `$$`
    an escaped `$`, anything else stays as written."""
    def sub(m):
        if m.group(0) == "$$":
            return "$"
        return env.get(m.group(1), m.group(0))
    return _K8S_REF.sub(sub, text)


def mount_error(eng, pod: dict) -> str | None:
    """The FailedMount message for the first configMap/secret volume whose object is missing."""
    ns = pod["metadata"].get("namespace", "default")
    for v in get_path(pod, "spec.volumes") or ():
        if "configMap" in v:
            src, kind, what = (v["configMap"] or {}), "ConfigMap", "configmap"
            name = src.get("name", "")
        elif "secret" in v:
            src, kind, what = (v["secret"] or {}), "Secret", "secret"
            name = src.get("secretName", "")
        else:
            continue
        if src.get("optional"):
            continue
        if _source(eng, ns, kind, name) is None:
            return f'MountVolume.SetUp failed for volume "{v.get("name", "")}" : {what} "{name}" not found'
    return None


def volume_files(eng, pod: dict, volume: dict) -> dict[str, str] | None:
    """The files a configMap/secret volume shows (keys, or `items` key → path), None otherwise."""
    ns = pod["metadata"].get("namespace", "default")
    if "configMap" in volume:
        src, kind = volume["configMap"] or {}, "ConfigMap"
        name = src.get("name", "")
    elif "secret" in volume:
        src, kind = volume["secret"] or {}, "Secret"
        name = src.get("secretName", "")
    else:
        return None
    obj = _source(eng, ns, kind, name)
    values = _values(obj) if obj is not None else {}
    items = src.get("items")
    if items:
        return {str(i.get("path", "")): values[i.get("key")] for i in items if i.get("key") in values}
    return dict(values)
