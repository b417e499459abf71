"""The oracle binary (make oracle-kubectl) and a live test server around one cluster."""
from __future__ import annotations

import pytest

from .harness import oracle_or_skip  # noqa: F401 - re-exported for the tests here


@pytest.fixture
def api_server(tmp_path):
    from simulator import Cluster

    from .server import ApiServer

    server = ApiServer(Cluster(0), tls_dir=tmp_path).start()
    yield server
    server.stop()


def pytest_terminal_summary(terminalreporter):
    from . import test_differential as td

    stats = getattr(td, "STATS", None)
    if stats and stats["scripts"]:
        known = ", ".join(f"{k} ×{n}" for k, n in sorted(stats["known"].items())) or "none"
        terminalreporter.write_line(f"differential suite: {stats['scripts']} scripts, {stats['commands']} commands "
                                    f"compared (stdout, stderr, exit code); known differences seen: {known}")
