"""Rollout Lab's simulator: a deterministic model of the Kubernetes control plane and kubectl.

Public API: `Cluster` (and the `Result` it returns), and `pod_status` for views; see DESIGN.md.
"""
from .cluster import Cluster, Result
from .pod_display import pod_status

__all__ = ["Cluster", "Result", "pod_status"]
