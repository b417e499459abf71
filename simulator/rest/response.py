"""What `simulator.rest.handle` returns, and the JSON/Status bodies every endpoint answers with."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Iterator

from ..api.errors import CLIError, Invalid, KubeError, NotFound, StatusError, AlreadyExists

JSON = "application/json"


@dataclass
class Response:
    """status code, headers, and the body: bytes, or for a watch / followed log an iterator of
    bytes chunks. A streaming iterator yields b"" when it has nothing to send yet (the caller may
    let simulated time pass, or wait) and ends when the stream is over."""
    status: int
    headers: dict = field(default_factory=dict)
    body: bytes | Iterator[bytes] = b""

    @property
    def streaming(self) -> bool:
        return not isinstance(self.body, (bytes, bytearray))

    def json(self):
        """The decoded body (tests and callers that want the object)."""
        return json.loads(self.body)


def dumps(obj) -> bytes:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def json_response(obj, status: int = 200, warnings: list[str] | None = None) -> Response:
    headers = {"Content-Type": JSON}
    if warnings:
        headers["Warning"] = [f'299 - "{_quote(w)}"' for w in warnings]
    return Response(status, headers, dumps(obj))


def _quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def status_body(code: int, reason: str, message: str, details: dict | None = None) -> dict:
    """metav1.Status as the API server writes it (apimachinery pkg/api/errors/errors.go)."""
    body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason}
    if details:
        body["details"] = details
    body["code"] = code
    return body


def status_response(code: int, reason: str, message: str, details: dict | None = None) -> Response:
    return json_response(status_body(code, reason, message, details), code)


def success_status(details: dict | None = None) -> dict:
    body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success"}
    if details:
        body["details"] = details
    return body


def _group_and_plural(resource: str) -> tuple[str, str]:
    """`deployments.apps` -> ("apps", "deployments")."""
    plural, _, group = resource.partition(".")
    return group, plural


def error_response(err: KubeError, resource: str = "") -> Response:
    """A simulator error as the Status body the real API server would send for it."""
    if isinstance(err, Invalid):
        group = resource.partition(".")[2]
        causes = []
        for fld, detail in err.causes:
            reason = "FieldValueInvalid"
            for prefix, r in (("Required value", "FieldValueRequired"), ("Unsupported value", "FieldValueNotSupported"),
                              ("Forbidden", "FieldValueForbidden"), ("Duplicate value", "FieldValueDuplicate"),
                              ("Too long", "FieldValueTooLong"), ("Not found", "FieldValueNotFound")):
                if detail.startswith(prefix):
                    reason = r
            causes.append({"reason": reason, "message": detail, "field": fld})
        kind = f"{err.kind}.{group}" if group else err.kind
        message = f'{kind} "{err.name}" is invalid: ' + ", ".join(
            f"{f}: {d}" if f else d for f, d in err.causes)
        details = {"name": err.name, "group": group, "kind": err.kind, "causes": causes}
        if not group:
            details.pop("group")
        return status_response(422, "Invalid", message, details)
    if type(err).__name__ == "PatchInvalid":
        cause = err.render().split("The request is invalid: patch: ", 1)[-1]
        return status_response(422, "Invalid", err.render(),
                               {"causes": [{"reason": "FieldValueInvalid", "message": cause, "field": "patch"}]})
    if isinstance(err, (NotFound, AlreadyExists)):
        group, plural = _group_and_plural(err.resource)
        details = {"name": err.name, "group": group, "kind": plural}
        if not group:
            details.pop("group")
        return status_response(err.code, err.reason, err.message, details)
    if isinstance(err, StatusError):
        return status_response(err.code, err.reason, err.message)
    if type(err).__name__ == "JSONPatchError":
        # apiserver handlers/patch.go: NewGenericServerResponse(422, ...): reason Invalid with the
        # generic message; kubectl prints `The request is invalid: <message>`
        return status_response(422, "Invalid", "the server rejected our request due to an error in our request")
    if isinstance(err, CLIError):
        # Rollout Lab's own caps (limits.py) and client-side refusals: a 403 that says it plainly
        text = err.message[len("error: "):] if err.message.startswith("error: ") else err.message
        return status_response(403, "Forbidden", text)
    return status_response(400, "BadRequest", err.render())
