"""The init container that waits for a Service: kubernetes.io "Init Containers" (concepts/workloads/
pods/init-containers.md, myapp-pod):
`until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local;
do echo waiting for myservice; sleep 2; done`. The container keeps looping (its log shows each
failed lookup and the echo) until a Service of that name exists, then exits 0. Output lines are
busybox 1.28's nslookup (networking/nslookup.c, the pre-1.29 implementation that image ships)."""
from __future__ import annotations

import re

NS_FILE = "$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace)"
DNS_IP = "10.96.0.10"
_LOOP = re.compile(r"^\s*until\s+nslookup\s+(\S+)\s*;\s*do\s+(.*?)\s*;?\s*done\s*;?\s*$", re.S)
_SLEEP = re.compile(r"(?:^|;)\s*sleep\s+(\d+(?:\.\d+)?)\s*(?:;|$)")
_ECHO = re.compile(r"(?:^|;)\s*echo\s+(.*?)\s*(?=;|$)")


def parse(pod: dict, words: list[str]) -> dict | None:
    """{"host", "service", "namespace", "every", "echo"} for a `sh -c 'until nslookup …'` loop."""
    if len(words) < 3 or words[0].rsplit("/", 1)[-1] not in ("sh", "ash", "bash") or words[1] != "-c":
        return None
    ns = pod["metadata"].get("namespace", "default")
    m = _LOOP.match(words[2].replace(NS_FILE, ns))  # sh's command substitution of the namespace file
    if not m:
        return None
    host = m.group(1).strip("'\"")
    labels = host.split(".")
    namespace = labels[1] if len(labels) > 1 and labels[1] not in ("svc", "") else ns
    body = m.group(2)
    sleep = _SLEEP.search(body)
    echoes = [e.strip("'\"") for e in _ECHO.findall(body)]
    fqdn = f"{labels[0]}.{namespace}.svc.cluster.local"
    return {"host": host, "fqdn": fqdn, "service": labels[0], "namespace": namespace,
            "every": float(sleep.group(1)) if sleep else 1.0, "echo": echoes}


def _header() -> list[str]:
    return [f"Server:    {DNS_IP}", f"Address 1: {DNS_IP} kube-dns.kube-system.svc.cluster.local", ""]


def attempt(eng, wait: dict) -> tuple[bool, list[str]]:
    """One loop iteration: (found?, the lines it writes)."""
    svc = eng.store.get("Service", wait["namespace"], wait["service"])
    if svc is not None:
        ip = (svc.get("spec") or {}).get("clusterIP") or ""
        return True, _header() + [f"Name:      {wait['fqdn']}", f"Address 1: {ip} {wait['fqdn']}"]
    return False, _header() + [f"nslookup: can't resolve '{wait['host']}'"] + list(wait["echo"])
