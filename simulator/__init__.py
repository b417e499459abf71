"""Rollout Lab's simulator: a deterministic model of the Kubernetes control plane and kubectl.

Public API: `Cluster` (and the `Result` it returns); see DESIGN.md.
"""
from .cluster import Cluster, Result

__all__ = ["Cluster", "Result"]
