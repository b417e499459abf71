"""Errors as the API server returns them and as kubectl prints them.

kubectl's rendering rules: kubernetes/kubectl pkg/cmd/util/helpers.go (checkErr, StandardErrorMessage,
MultilineError) and cli-runtime AddSourceToErr. `render()` gives the exact stderr text without the
final newline; every error exits 1 unless it says otherwise.
"""
from __future__ import annotations


class KubeError(Exception):
    """Anything a kubectl command can fail with."""

    exit_code = 1

    def render(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError


class CLIError(KubeError):
    """A client-side failure: printed as `error: <msg>` (prefix not doubled)."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code

    def render(self) -> str:
        return self.message if self.message.startswith("error: ") else f"error: {self.message}"


class RawError(KubeError):
    """Text printed exactly as given (usage errors, multi-line messages)."""

    def __init__(self, text: str, exit_code: int = 1):
        super().__init__(text)
        self.text = text
        self.exit_code = exit_code

    def render(self) -> str:
        return self.text


class StatusError(KubeError):
    """A metav1.Status failure from the server: `Error from server (Reason): message`."""

    reason = "InternalError"
    code = 500

    def __init__(self, message: str, reason: str | None = None, code: int | None = None):
        super().__init__(message)
        self.message = message
        if reason:
            self.reason = reason
        if code:
            self.code = code

    def with_source(self, verb: str, source: str) -> "StatusError":
        """AddSourceToErr: `error when creating "kubia.yaml": <message>`."""
        clone = type(self).__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone.message = f'error when {verb} "{source}": {self.message}'
        Exception.__init__(clone, clone.message)
        return clone

    def render(self) -> str:
        return f"Error from server ({self.reason}): {self.message}"


class NotFound(StatusError):
    reason, code = "NotFound", 404

    def __init__(self, resource: str, name: str):
        # resource is the plural with group, as kubectl shows it: deployments.apps, pods, services
        super().__init__(f'{resource} "{name}" not found')
        self.resource, self.name = resource, name


class AlreadyExists(StatusError):
    reason, code = "AlreadyExists", 409

    def __init__(self, resource: str, name: str):
        super().__init__(f'{resource} "{name}" already exists')
        self.resource, self.name = resource, name


class Conflict(StatusError):
    reason, code = "Conflict", 409


class BadRequest(StatusError):
    reason, code = "BadRequest", 400


class Forbidden(StatusError):
    reason, code = "Forbidden", 403


class Invalid(StatusError):
    """422 with field causes. kubectl ignores the message and prints
    `The <Kind> "<name>" is invalid: <field>: <detail>` (one cause) or a `* ` list (several)."""

    reason, code = "Invalid", 422

    def __init__(self, kind: str, name: str, causes: list[tuple[str, str]]):
        self.kind, self.name, self.causes = kind, name, list(causes)
        super().__init__(self.render())

    def with_source(self, verb: str, source: str) -> "Invalid":
        return self  # the source prefix lands in Status.message, which kubectl does not print here

    def render(self) -> str:
        head = f'The {self.kind} "{self.name}" is invalid'
        if not self.causes:
            return head
        lines = [f"{field}: {detail}" if field else detail for field, detail in self.causes]
        if len(lines) == 1:
            return f"{head}: {lines[0]}"
        return f"{head}: \n" + "\n".join(f"* {line}" for line in lines)


class LimitExceeded(CLIError):
    """One of Rollout Lab's own caps (simulator/limits.py): not a Kubernetes error, said plainly."""


class ServerError(StatusError):
    """A non-Status error from the server (metav1.StatusReasonUnknown): kubectl prints
    `Error from server: <msg>` (kubectl pkg/cmd/util/helpers.go StandardErrorMessage)."""

    reason, code = "", 500

    def render(self) -> str:
        return f"Error from server: {self.message}"


class JSONPatchError(KubeError):
    """A JSON patch (RFC 6902) that does not apply.

    The apiserver answers 422 via NewGenericServerResponse ("the server rejected our request due
    to an error in our request", empty details), which kubectl prints as `The request is invalid`.
    `detail` keeps the evanphx/json-patch text, which kubectl shows as `error: <detail>` when it
    patches locally (`--local`; see kubernetes/kubernetes#63247 for a transcript).
    """

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail

    def render(self) -> str:
        # kubectl pkg/cmd/util/helpers.go checkErr (v1.33+): no kind/name and no causes, so the
        # Status message is appended
        return "The request is invalid: the server rejected our request due to an error in our request"

    def local(self) -> CLIError:
        return CLIError(self.detail)
