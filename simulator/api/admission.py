"""The mutating admission plugins a kind/kubeadm API server runs on every Pod create.

Only what changes a Pod that the simulator can create (no ServiceAccount, PriorityClass or
LimitRange objects are served, so their lookups are the cluster's defaults):
  ServiceAccount      plugin/pkg/admission/serviceaccount/admission.go: serviceAccountName
                      defaults to "default"; unless automountServiceAccountToken is false, a
                      projected `kube-api-access-<5 random>` volume (TokenVolumeSource: token
                      with WarnOnlyBoundTokenExpirationSeconds = 3607, the kube-root-ca.crt
                      ConfigMap, the namespace via the downward API) mounted read-only at
                      /var/run/secrets/kubernetes.io/serviceaccount in every init and app
                      container that does not already mount something there.
  Priority            plugin/pkg/admission/priority/admission.go: no PriorityClass is
                      globalDefault on kind, so priority 0 and PreemptLowerPriority.
  DefaultTolerationSeconds  plugin/pkg/admission/defaulttolerationseconds/admission.go:
                      tolerate node.kubernetes.io/not-ready and /unreachable (NoExecute) for 300 s
                      unless the pod already tolerates them.
The deprecated `serviceAccount` field is the v1 conversion's mirror of serviceAccountName
(pkg/apis/core/v1/conversion.go Convert_core_PodSpec_To_v1_PodSpec).
"""
from __future__ import annotations

from typing import Callable

TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"
TOKEN_VOLUME_PREFIX = "kube-api-access-"
TOKEN_EXPIRATION_SECONDS = 3607  # serviceaccount.WarnOnlyBoundTokenExpirationSeconds
DEFAULT_TOLERATION_SECONDS = 300
_TAINT_KEYS = ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")


def token_volume(name: str) -> dict:
    """TokenVolumeSource() as the API serves it (defaultMode 420 set explicitly, kubernetes#104464)."""
    return {"name": name, "projected": {"defaultMode": 420, "sources": [
        {"serviceAccountToken": {"expirationSeconds": TOKEN_EXPIRATION_SECONDS, "path": "token"}},
        {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
        {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                                    "path": "namespace"}]}},
    ]}}


def admit_pod(pod: dict, random_suffix: Callable[[], str]) -> dict:
    """Run the three plugins on a Pod being created, in place; returns pod. `random_suffix` gives
    the 5 characters names.SimpleNameGenerator would (the cluster's seeded rng)."""
    spec = pod.get("spec")
    if not isinstance(spec, dict):
        return pod
    _service_account(spec, random_suffix)
    _priority(spec)
    _default_tolerations(spec)
    return pod


def _containers(spec: dict, keys=("initContainers", "containers")) -> list[dict]:
    out = []
    for key in keys:
        value = spec.get(key)
        if isinstance(value, list):
            out += [c for c in value if isinstance(c, dict)]
    return out


def _service_account(spec: dict, random_suffix: Callable[[], str]) -> None:
    name = spec.get("serviceAccountName") or spec.get("serviceAccount") or "default"
    if not isinstance(name, str):
        return  # validation reports the type
    spec["serviceAccountName"] = name
    spec["serviceAccount"] = name
    if spec.get("automountServiceAccountToken") is False:
        return
    volumes = spec.get("volumes")
    if volumes is not None and not isinstance(volumes, list):
        return
    taken = {v.get("name") for v in volumes or () if isinstance(v, dict)}
    vol_name = TOKEN_VOLUME_PREFIX + random_suffix()
    for attempt in range(1, 100):  # bounded: a fixed or exhausted suffix source must not hang
        if vol_name not in taken:
            break
        vol_name = TOKEN_VOLUME_PREFIX + random_suffix() + ("" if attempt < 10 else f"-{attempt}")
    needs_volume = False
    for c in _containers(spec):
        mounts = c.get("volumeMounts")
        if mounts is not None and not isinstance(mounts, list):
            continue
        if any(isinstance(m, dict) and m.get("mountPath") == TOKEN_MOUNT_PATH for m in mounts or ()):
            continue  # an existing mount at the token path prevents the automount
        c["volumeMounts"] = list(mounts or ()) + [{"mountPath": TOKEN_MOUNT_PATH, "name": vol_name,
                                                   "readOnly": True}]
        needs_volume = True
    if needs_volume:
        spec["volumes"] = list(volumes or ()) + [token_volume(vol_name)]


def _priority(spec: dict) -> None:
    if spec.get("priorityClassName"):
        return  # system-node-critical etc.: not something the learner's pods use
    if spec.get("priority") is None:
        spec["priority"] = 0
    if spec.get("preemptionPolicy") is None:
        spec["preemptionPolicy"] = "PreemptLowerPriority"


def _default_tolerations(spec: dict) -> None:
    tolerations = spec.get("tolerations")
    if tolerations is not None and not isinstance(tolerations, list):
        return
    tolerations = list(tolerations or ())
    for key in _TAINT_KEYS:
        # admission.go: a toleration of this key (or of every key) with effect NoExecute (or every
        # effect) is kept as the user wrote it
        if any(isinstance(t, dict) and t.get("key") in (key, "", None) and t.get("effect") in ("NoExecute", "", None)
               for t in tolerations):
            continue
        tolerations.append({"effect": "NoExecute", "key": key, "operator": "Exists",
                            "tolerationSeconds": DEFAULT_TOLERATION_SECONDS})
    spec["tolerations"] = tolerations
