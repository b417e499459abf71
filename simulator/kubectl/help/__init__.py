"""`kubectl <cmd> --help`, `-h` and `kubectl help <cmd>` output.

Layout: kubectl pkg/util/templates/templates.go (MainHelpTemplate, MainUsageTemplate sections:
Aliases, Examples, subcommand groups, Options, Usage, tips) and templater.go (cmdGroupsString,
usageLine appends " [options]", visibleFlags drops --help, flagsNotIntersected hides inherited
global flags), help_flags_printer.go (`    -n, --name=default:\\n\\t<usage>\\n\\n`, strings quoted ''). Output is
what kubectl prints when stdout is not a terminal (the web console): no word wrapping.
"""
from __future__ import annotations

from simulator.kubectl import commands_spec as spec
from simulator.kubectl.commands_spec import Command
from simulator.kubectl.help.texts import EXAMPLES, LONGS

MIN_NAME_PADDING = 11  # cobra minNamePadding


def _command_path(path: tuple[str, ...]) -> str:
    return " ".join(("kubectl",) + path)


def _flag_block(cmd: Command) -> str:
    flags = [f for f in cmd.flags if not f.hidden and not f.deprecated]
    out = []
    for f in sorted(flags, key=lambda f: f.name):
        name = f"-{f.shorthand}, --{f.name}" if f.shorthand else f"--{f.name}"
        out.append(f"    {name}={f.default_text}:\n\t{f.usage}")
    return "\n\n".join(out)


def _available(c: Command) -> bool:
    return not c.hidden


def _groups_block(path: tuple[str, ...], cmd: Command) -> str:
    width = max([MIN_NAME_PADDING] + [len(c.name) for c in cmd.subcommands]) + 2
    line = lambda c: "  " + c.name.ljust(width) + " " + c.short
    if not path:
        blocks = []
        for title, cmds in spec.COMMAND_GROUPS:
            blocks.append("\n".join([title] + [line(c) for c in cmds if _available(c)]))
        others = sorted((c for c in spec.OTHER_COMMANDS if _available(c)), key=lambda c: c.name)
        blocks.append("\n".join(["Other Commands:"] + [line(c) for c in others]))
        return "\n\n".join(blocks)
    subs = sorted((c for c in cmd.subcommands if _available(c)), key=lambda c: c.name)
    return "\n".join(["Available Commands:"] + [line(c) for c in subs])


def usage_line(path: tuple[str, ...], cmd: Command) -> str:
    parent = _command_path(path[:-1]) if path else ""
    line = (parent + " " + cmd.use).strip() if path else "kubectl"
    has_flags = bool(cmd.flags) or bool(cmd.persistent_flags) or True  # every command has --help
    if not cmd.disable_flags_in_use_line and has_flags and "[flags]" not in line:
        line += " [flags]"
    if "[options]" not in line:
        line += " [options]"
    return line


def render_usage(path: tuple[str, ...]) -> str:
    """The usage part (everything after the description), as cobra's Usage() prints it."""
    cmd = spec.lookup(path)
    if cmd is None:
        raise KeyError(path)
    sections: list[str] = []
    if cmd.aliases:
        sections.append("Aliases:\n" + ", ".join((cmd.name,) + cmd.aliases))
    example = EXAMPLES.get(path)
    if example:
        sections.append("Examples:\n" + _examples(example).rstrip())
    if cmd.subcommands:
        sections.append(_groups_block(path, cmd))
    flags = _flag_block(cmd)
    if flags:
        sections.append("Options:\n" + flags)
    if cmd.runnable:
        sections.append("Usage:\n  " + usage_line(path, cmd))
    tips = []
    if cmd.subcommands:
        # templates.go SectionTipsHelp: every parent's name from the root down (reverseParentsNames)
        tips.append(f'Use "{" ".join(("kubectl",) + tuple(path))} <command> --help" for more information about a '
                    "given command.")
    tips.append('Use "kubectl options" for a list of global command-line options (applies to all commands).')
    sections.append("\n".join(tips))
    return "\n\n".join(sections) + "\n"


def render_help(path: tuple[str, ...]) -> str:
    """Full `--help` text for the command at `path` (canonical names; () = root)."""
    cmd = spec.lookup(tuple(path))
    if cmd is None:
        raise KeyError(path)
    desc = LONGS.get(tuple(path)) or cmd.short
    return desc.strip() + "\n\n" + render_usage(tuple(path))


def _examples(text: str) -> str:
    """templates.Examples: dedent, trim, indent every line (blank ones too) by two spaces."""
    lines = text.strip("\n").split("\n")
    return "\n".join("  " + ln.strip() for ln in lines)


def render_options() -> str:
    """`kubectl options` (pkg/cmd/options/options.go, templates.UseOptionsTemplates): the root's
    persistent flags in the help flag layout; every flag entry ends with a blank line."""
    block = _flag_block(Command("options", "options", "", flags=spec.GLOBAL_FLAGS))
    return "The following options can be passed to any command:\n\n" + block + "\n\n"
