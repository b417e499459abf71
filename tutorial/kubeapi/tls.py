"""The self-signed certificate of `make run`'s HTTPS endpoint (kubectl sends a bearer token only
over TLS: kubernetes/kubectl#744, client-go rest/transport). Made once, on this machine, into
KUBEAPI_TLS_DIR (git-ignored); the kubeconfig embeds it as certificate-authority-data, so kubectl
trusts exactly this server. Behind a real TLS proxy set KUBEAPI_PUBLIC_URL instead."""
from __future__ import annotations

import datetime as dt
import ipaddress
import os
import socket
from pathlib import Path

CERT_NAME, KEY_NAME = "kubeapi.crt", "kubeapi.key"
VALID_DAYS = 825


def paths(directory: Path) -> tuple[Path, Path]:
    return Path(directory) / CERT_NAME, Path(directory) / KEY_NAME


def host_names(extra: str = "") -> list[str]:
    """localhost, 127.0.0.1, this machine's name, and KUBEAPI_TLS_HOSTS (comma-separated)."""
    names = ["localhost", "127.0.0.1", "::1", socket.gethostname()]
    names += [h.strip() for h in (extra or os.environ.get("KUBEAPI_TLS_HOSTS", "")).split(",") if h.strip()]
    return list(dict.fromkeys(names))


def _alt_name(name: str):
    from cryptography import x509

    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        return x509.DNSName(name)


def ensure_certificate(directory: Path, hosts: list[str] | None = None) -> tuple[Path, Path, bool]:
    """(certificate, key, made_now): made only when missing."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    cert_path, key_path = paths(directory)
    if cert_path.exists() and key_path.exists():
        return cert_path, key_path, False
    Path(directory).mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "rollout-lab-apiserver")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=VALID_DAYS))
            .add_extension(x509.SubjectAlternativeName([_alt_name(h) for h in hosts or host_names()]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    os.chmod(key_path, 0o600)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path, True


def ca_pem(directory: Path) -> bytes | None:
    """The certificate the kubeconfig embeds, when `make run` made one."""
    cert_path, _ = paths(directory)
    try:
        return cert_path.read_bytes()
    except OSError:
        return None
