"""`sed` as a console word: a pipe filter (`… -o yaml | sed 's/v1/v2/' | kubectl apply -f -`) and
on working-directory files (`sed 's/a/b/' f.yaml`, `sed -i 's/a/b/' f.yaml`).

The script language is the one `kubectl edit` already runs for KUBE_EDITOR="sed -i …"
(simulator/kubectl/commands/edit.py SedScript, GNU sed's s///, d, p with addresses); this module
only adds what a shell gives sed: its operands (files, or standard input when there are none).
"""
from __future__ import annotations

from . import limits
from .kubectl.commands.edit import SedError, SedScript
from .safe_regex import RegexTooCostly


def operands(words: list[str]) -> list[str]:
    """The input files of `sed [OPTION]… [SCRIPT] [FILE]…` (GNU sed: the first non-option word is
    the script unless -e/--expression gave one)."""
    files, have_script, i = [], False, 1
    while i < len(words):
        w = words[i]
        if w == "--":
            rest = words[i + 1:]
            files.extend(rest if have_script else rest[1:])
            break
        if w in ("-e", "--expression"):
            have_script, i = True, i + 2
            continue
        if w.startswith("--expression=") or (w.startswith("-e") and len(w) > 2 and not w.startswith("--")):
            have_script = True
        elif w.startswith("-") and len(w) > 1:
            pass
        elif not have_script:
            have_script = True
        else:
            files.append(w)
        i += 1
    return files


def run(words: list[str], stdin: str | None, files) -> tuple[str, str, int, dict]:
    """(stdout, stderr, exit code, {file: new text} for -i) of one sed invocation."""
    try:
        script = SedScript(words)
    except SedError as err:
        return "", f"{err}\n", 1, {}
    if len(script.commands) > limits.MAX_SED_COMMANDS:
        # GNU sed has no such cap; a script this long is only a way to burn the server's CPU
        return "", f"sed: the script has more than {limits.MAX_SED_COMMANDS} commands\n", 1, {}
    names = operands(words)
    if script.in_place and not names:
        return "", "sed: no input files\n", 1, {}  # GNU sed: -i needs files
    out, err, code, written = [], [], 0, {}
    sources = [(n, files.get(n)) for n in names] if names else [("-", stdin or "")]
    for name, text in sources:
        if text is None:
            err.append(f"sed: can't read {name}: No such file or directory\n")
            code = 2
            continue
        work = (text.count("\n") + 1) * max(1, len(script.commands))
        if work > limits.MAX_SED_WORK:
            return "".join(out), "".join(err) + (
                f"sed: {name}: input lines × script commands exceed {limits.MAX_SED_WORK:,}\n"), 4, written
        try:
            new_text, printed = script.run(text)
        except SedError as e:
            return "".join(out), "".join(err) + f"{e}\n", 4, written
        except RegexTooCostly as e:  # GNU sed's exit status 4: a problem while running
            return "".join(out), "".join(err) + e.render() + "\n", 4, written
        if script.in_place:
            written[name] = new_text
        out.append(printed)
    return "".join(out), "".join(err), code, written
