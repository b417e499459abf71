"""The curriculum as files: the lesson catalogue read from tutorial/content/, its Markdown rendering
(with CJK-friendly emphasis) and time estimates. Below every app that shows or grades lessons."""
