"""Help layout against real `kubectl rollout --help` output (kubectl v1.2x-1.3x) and templater rules."""
from simulator.kubectl.discovery import api_resources, version
from simulator.kubectl.help import render_help


def test_rollout_help_matches_kubectl():
    assert render_help(("rollout",)).endswith(
        "Available Commands:\n"
        "  history       View rollout history\n"
        "  pause         Mark the provided resource as paused\n"
        "  restart       Restart a resource\n"
        "  resume        Resume a paused resource\n"
        "  status        Show the status of the rollout\n"
        "  undo          Undo a previous rollout\n\n"
        "Usage:\n  kubectl rollout SUBCOMMAND [options]\n\n"
        'Use "kubectl rollout <command> --help" for more information about a given command.\n'
        'Use "kubectl options" for a list of global command-line options (applies to all commands).\n')


def test_options_section_format():
    text = render_help(("scale",))
    assert "Options:\n    --all=false:\n\tSelect all resources in the namespace of the specified resource types\n\n" in text
    assert "--record" not in text  # deprecated flags are hidden
    assert "    --replicas=0:\n\tThe new desired number of replicas. Required.\n" in text


def test_root_help_groups():
    text = render_help(())
    assert "Basic Commands (Beginner):\n  create          Create a resource from a file or from stdin\n" in text
    assert "Usage:\n  kubectl [flags] [options]\n" in text


def test_discovery_outputs():
    assert version() == "Client Version: v1.34.5\nKustomize Version: v5.7.1\nServer Version: v1.34.0\n"
    table = api_resources()
    assert table.splitlines()[0].split() == ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    assert any(l.split() == ["deployments", "deploy", "apps/v1", "true", "Deployment"] for l in table.splitlines())
