"""Suite-wide pytest hooks. No Django here: tests/simulator runs without it."""


def pytest_collection_modifyitems(session, config, items):
    # Browser tests run last: once Playwright's sync API has run an event loop in this thread,
    # later pytest-asyncio tests fail (STACK-NOTES.md).
    items.sort(key=lambda item: "tests/browser/" in item.nodeid.replace("\\", "/"))


def _hypothesis_profile():
    # CI replays the same examples every run (derandomize): a red CI is then a real, repeatable
    # failure, not a lucky draw. Locally hypothesis keeps exploring new examples.
    import os

    try:
        from hypothesis import settings
    except ImportError:  # pragma: no cover
        return
    settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
    if os.environ.get("CI"):
        settings.load_profile("ci")


_hypothesis_profile()
