"""The file editor panel: the sandbox's working directory (Cluster.files) and `kubectl edit`.

Checks here say in the learner's language what the simulator's Files would refuse (its caps are
Files.MAX_FILE_BYTES / Files.MAX_FILES), before anything is assigned. File names are stricter than
the simulator's: one plain word that `cat`/`kubectl -f` can take without quoting.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

NAME_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,99}")
# The editor panel's own message may carry up to one full file (JSON-escaped text can double it).
MAX_EDITOR_MESSAGE_BYTES = 2 * 256 * 1024 + 4096


def _files_class():
    from simulator.cluster import Files

    return Files


def name_problem(name) -> str | None:
    """Why `name` cannot be a file name in the panel, or None."""
    if not isinstance(name, str) or not name.strip():
        return str(_("Give the file a name, such as kubia-v2.yaml."))
    if not NAME_RE.fullmatch(name):
        return str(_("“%(name)s” is not a usable file name: use letters, digits, “.”, “-” and “_” "
                     "(at most 100 characters, not starting with “.” or “-”).") % {"name": name[:120]})
    return None


def save_problem(files, name, text) -> str | None:
    """Why `text` cannot be saved as `name` in `files` (a Cluster.files), or None."""
    problem = name_problem(name)
    if problem:
        return problem
    if not isinstance(text, str):
        return str(_("The file's text is missing."))
    files_class = _files_class()
    if len(text.encode("utf-8", "surrogatepass")) > files_class.MAX_FILE_BYTES:
        return str(_("%(name)s is too large: files are limited to %(size)d KB.")
                   % {"name": name, "size": files_class.MAX_FILE_BYTES // 1024})
    if name not in files and len(files) >= files_class.MAX_FILES:
        return str(_("The working directory is full: at most %(count)d files. Delete one first.")
                   % {"count": files_class.MAX_FILES})
    return None


def file_rows(files) -> list[dict]:
    """The working directory as the panel lists it: name and size, sorted like `ls`."""
    return [{"name": name, "size": len(text.encode("utf-8", "surrogatepass"))}
            for name, text in sorted(files.items())]
