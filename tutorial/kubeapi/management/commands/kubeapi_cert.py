"""`manage.py kubeapi_cert`: make the self-signed certificate of the HTTPS endpoint (once).
`make run` calls it; `--hosts a.example,10.0.0.5` adds names the learners reach the server by."""
from django.conf import settings
from django.core.management.base import BaseCommand

from tutorial.kubeapi.tls import ensure_certificate, host_names


class Command(BaseCommand):
    help = "Make the self-signed TLS certificate for the learners' own kubectl (once)."

    def add_arguments(self, parser):
        parser.add_argument("--hosts", default="", help="extra host names or IPs, comma-separated")

    def handle(self, *args, hosts="", **options):
        cert, key, made = ensure_certificate(settings.KUBEAPI_TLS_DIR, host_names(hosts))
        if made:
            self.stdout.write(f"Made {cert} and {key}")
        elif options.get("verbosity", 1) > 1:
            self.stdout.write(f"{cert} exists")
