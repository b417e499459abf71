"""Session tests: SandboxSession driven directly, no Channels and no socket. Django (models,
templates) comes from tests/web's configuration and its lesson fixtures."""

import pytest  # noqa: E402

from tests.web.conftest import lesson_root, plain_static_storage  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _lessons(lesson_root):  # noqa: F811
    """Every session test runs on the two test lessons of tests/web/conftest.py."""
    return lesson_root
