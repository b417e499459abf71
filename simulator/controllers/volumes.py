"""Files in a pod's emptyDir volumes, shared by the containers that mount them (an init container's
`echo … > /work-dir/index.html` is what nginx serves when the same volume is its html root).

The files live with the kubelet's record of the pod (eng.kubelet["pods"][uid]["volumes"]), so they
go when the pod goes, as an emptyDir does, and are part of the cluster snapshot."""
from __future__ import annotations

from ..objects import get_path

NGINX_ROOT = "/usr/share/nginx/html"
# Rollout Lab's caps: emptyDir files are part of every snapshot, once per pod (up to MAX_PODS)
MAX_POD_BYTES = 16_384  # characters in all the emptyDir files of one pod
MAX_FILES = 32  # files in one volume
MAX_SERVED_BYTES = 16_384  # what a web server container keeps of its html root


def _volume(pod: dict, name: str) -> dict | None:
    for v in get_path(pod, "spec.volumes") or ():
        if isinstance(v, dict) and v.get("name") == name:
            return v
    return None


def resolve(pod: dict, container: dict | None, path: str, kinds=("emptyDir",)) -> tuple[str, str] | None:
    """(volume name, path inside it) of a file path as `container` sees it, for volumes of the
    given kinds (emptyDir: the pod's shared scratch space)."""
    best = None
    for m in (container or {}).get("volumeMounts") or ():
        root = str(m.get("mountPath") or "").rstrip("/")
        if not root:
            continue
        if path == root or path.startswith(root + "/"):
            vol = _volume(pod, m.get("name"))
            if vol is None or not any(k in vol for k in kinds):
                continue
            inside = path[len(root):].lstrip("/")
            sub = str(m.get("subPath") or "").strip("/")
            if sub:
                inside = f"{sub}/{inside}" if inside else sub
            if best is None or len(root) > best[2]:
                best = (m.get("name"), inside, len(root))
    return (best[0], best[1]) if best else None


def _store(eng, pod: dict) -> dict | None:
    ref = eng.kubelet["pods"].get(pod["metadata"].get("uid"))
    return None if ref is None else ref.setdefault("volumes", {})


def write(eng, pod: dict, container: dict | None, path: str, text: str, append: bool = False) -> None:
    """A file written by a container; a path outside every emptyDir stays in that container's
    own filesystem, which nothing else reads."""
    where = resolve(pod, container, path)
    store = _store(eng, pod)
    if where is None or store is None or not where[1]:
        return
    files = store.setdefault(where[0], {})
    if where[1] not in files and len(files) >= MAX_FILES:
        return
    content = (files.get(where[1], "") if append else "") + text
    used = sum(len(v) for vol in store.values() for k, v in vol.items() if (vol is not files or k != where[1]))
    files[where[1]] = content[:max(0, MAX_POD_BYTES - used)]


def files_under(eng, pod: dict, container: dict | None, directory: str) -> dict[str, str] | None:
    """The files a container sees under `directory` when an emptyDir, configMap or secret volume
    is mounted there (None when none is: the image's own files)."""
    from .pod_env import volume_files

    where = resolve(pod, container, directory.rstrip("/"), ("emptyDir", "configMap", "secret"))
    store = _store(eng, pod)
    if where is None or store is None:
        return None
    vol = _volume(pod, where[0]) or {}
    files = store.get(where[0]) or {} if "emptyDir" in vol else (volume_files(eng, pod, vol) or {})
    prefix = where[1] + "/" if where[1] else ""
    out, size = {}, 0
    for k in sorted(files):
        if k.startswith(prefix) and size + len(files[k]) <= MAX_SERVED_BYTES:
            out[k[len(prefix):]] = files[k]
            size += len(files[k])
    return out
