"""`kubectl create configmap` and `kubectl create secret generic` (kubectl pkg/cmd/create/
create_configmap.go, create_secret.go; pkg/util/util.go ParseLiteralSource/ParseFileSource;
pkg/cmd/util/env_file.go AddFromEnvFile). Files are the console's files; a directory source
takes every file under it."""
from __future__ import annotations

import base64
import re

from ...api.errors import CLIError
from ...api.config_objects import KEY_MSG
from .. import cli
from .common import dry_run_mode
from .create_sub import _enforced_namespace, _send
from .output import check_output_format, emit

_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")
_ENV_NAME = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$")
ENV_NAME_MSG = ("a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or "
                "'.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', "
                "regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')")


def parse_literal(source: str) -> tuple[str, str]:
    if source.startswith("=") or "=" not in source:
        raise CLIError(f"invalid literal source {source}, expected key=value")
    key, _, value = source.partition("=")
    return key, value


def parse_file_source(source: str) -> tuple[str, str]:
    n = source.count("=")
    if n == 0:
        return source.rstrip("/").rsplit("/", 1)[-1], source
    if n == 1 and source.startswith("="):
        raise CLIError(f"key name for file path {source[1:]} missing")
    if n == 1 and source.endswith("="):
        raise CLIError(f"file path for key name {source[:-1]} missing")
    if n > 1:
        raise CLIError("key names or file paths cannot contain '='")
    key, path = source.split("=")
    return key, path


def _files(ctx, source: str, path: str) -> list[tuple[str | None, str]]:
    """(key or None for the file's own name, content) of a --from-file source."""
    if path in ctx.files:
        return [(None, ctx.files[path])]
    under = sorted(f for f in ctx.files if f.startswith(path.rstrip("/") + "/"))
    if not under:
        raise CLIError(f"error reading {path}: no such file or directory")
    if "=" in source:
        raise CLIError("cannot give a key name for a directory path")
    return [(f.rsplit("/", 1)[-1], ctx.files[f]) for f in under if "/" not in f[len(path.rstrip("/")) + 1:]]


def env_file_pairs(ctx, path: str, what: str) -> list[tuple[str, str]]:
    if path not in ctx.files:
        if any(f.startswith(path.rstrip("/") + "/") for f in ctx.files):
            raise CLIError(f"env {what} file cannot be a directory")
        raise CLIError(f"error reading {path}: no such file or directory")
    out = []
    for i, raw in enumerate(ctx.files[path].splitlines()):
        line = raw.lstrip("\ufeff") if i == 0 else raw
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition("=")
        key = key.lstrip()
        if not _ENV_NAME.match(key):
            raise CLIError(f"{cli.go_quote(key)} is not a valid key name: {ENV_NAME_MSG}")
        out.append((key, value if sep else ctx.env.get(key, "")))
    return out


def _collect(ctx, inv, kind: str, add) -> None:
    if inv.flags.get("append-hash"):
        raise CLIError("--append-hash is not supported in this simulator")
    literals = list(inv.flags.get("from-literal") or [])
    files = [f for v in (inv.flags.get("from-file") or []) for f in (v if isinstance(v, list) else [v])]
    envs = list(inv.flags.get("from-env-file") or [])
    if envs and (literals or files):
        raise CLIError("from-env-file cannot be combined with from-file or from-literal")
    for source in files:
        key, path = parse_file_source(source)
        for own, content in _files(ctx, source, path):
            add(own or key, content)
    for source in literals:
        add(*parse_literal(source))
    for path in envs:
        for key, value in env_file_pairs(ctx, path, kind):
            add(key, value)


def run_create_configmap(ctx, inv):
    mode = dry_run_mode(inv)
    check_output_format(inv, ctx)
    if not inv.args:
        raise CLIError("name must be specified")
    name = inv.args[0]
    data: dict[str, str] = {}

    def add(key: str, value: str) -> None:
        if not _KEY.match(key):
            raise CLIError(f"{cli.go_quote(key)} is not a valid key name for a ConfigMap: {KEY_MSG}")
        if key in data:
            raise CLIError(f"cannot add key {cli.go_quote(key)}, another key by that name already exists in Data "
                           f"for ConfigMap {cli.go_quote(name)}")
        data[key] = value

    _collect(ctx, inv, "config", add)
    meta = {"name": name}
    if _enforced_namespace(inv):
        meta["namespace"] = _enforced_namespace(inv)
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta}
    if data:
        obj["data"] = data
    emit(ctx, inv, _send(ctx, inv, obj, mode, "failed to create configmap"), "created", mode)


def run_create_secret_generic(ctx, inv):
    mode = dry_run_mode(inv)
    check_output_format(inv, ctx)
    if not inv.args:
        raise CLIError("name must be specified")
    name = inv.args[0]
    data: dict[str, str] = {}

    def add(key: str, value: str) -> None:
        if not _KEY.match(key):
            raise CLIError(f"{cli.go_quote(key)} is not valid key name for a Secret {KEY_MSG}")
        if key in data:
            raise CLIError(f"cannot add key {key}, another key by that name already exists")
        data[key] = base64.b64encode(value.encode()).decode()

    _collect(ctx, inv, "secret", add)
    meta = {"name": name}
    if _enforced_namespace(inv):
        meta["namespace"] = _enforced_namespace(inv)
    obj = {"apiVersion": "v1", "kind": "Secret", "metadata": meta}
    if data:
        obj["data"] = data
    if inv.flags.get("type"):
        obj["type"] = inv.flags["type"]
    # create_secret.go wraps the server's error without a colon
    try:
        sent = _send(ctx, inv, obj, mode, None)
    except CLIError:
        raise
    except Exception as err:  # noqa: BLE001 - a KubeError from the server
        from ...api.errors import KubeError
        from .create_sub import server_error_text
        if isinstance(err, KubeError):
            raise CLIError(f"failed to create secret {server_error_text(err)}") from None
        raise
    emit(ctx, inv, sent, "created", mode)


HANDLES = {
    ("create", "configmap"): run_create_configmap,
    ("create", "secret", "generic"): run_create_secret_generic,
}
