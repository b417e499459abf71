"""Suite-wide pytest hooks. No Django here: tests/simulator runs without it."""


def pytest_collection_modifyitems(session, config, items):
    # Browser tests run last: once Playwright's sync API has run an event loop in this thread,
    # later pytest-asyncio tests fail (STACK-NOTES.md).
    items.sort(key=lambda item: "tests/browser/" in item.nodeid.replace("\\", "/"))
