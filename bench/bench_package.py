"""The deployment zip's size: what ``make package`` uploads to Lambda, built afresh.

Builds ``deployment.zip`` for the ``dev`` stage into a temporary folder with
``infra/package.py`` (``chalice package`` plus precompiled bytecode), then reports its size,
its unpacked size, and the largest contributors (by top-level folder of the zip). Lambda
allows 50 MB zipped (direct upload) and 250 MB unpacked.
"""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

LIMIT_ZIPPED_MB = 50
LIMIT_UNPACKED_MB = 250


def _mb(size: int) -> str:
    return f"{size / 1e6:.2f} MB"


def measure() -> tuple[int, int, list[tuple[str, int]]]:
    """(zip bytes, unpacked bytes, [(top-level entry, compressed bytes)] largest first)."""
    from infra.package import package

    with tempfile.TemporaryDirectory(prefix="event-service-bench-package-") as folder:
        package("dev", Path(folder))
        deployment = Path(folder) / "deployment.zip"
        with zipfile.ZipFile(deployment) as archive:
            entries = archive.infolist()
            unpacked = sum(entry.file_size for entry in entries)
            by_top: dict[str, int] = {}
            for entry in entries:
                top = entry.filename.split("/", 1)[0]
                by_top[top] = by_top.get(top, 0) + entry.compress_size
        return deployment.stat().st_size, unpacked, sorted(by_top.items(), key=lambda kv: -kv[1])


def main():
    from bench.report import Section

    zipped, unpacked, largest = measure()
    print(f"deployment.zip {_mb(zipped)} zipped, {_mb(unpacked)} unpacked")
    rows = [
        ("deployment.zip", _mb(zipped), f"Lambda limit {LIMIT_ZIPPED_MB} MB zipped"),
        ("unpacked", _mb(unpacked), f"Lambda limit {LIMIT_UNPACKED_MB} MB"),
    ]
    rows += [(f"largest: {name}", _mb(size), "compressed") for name, size in largest[:6]]
    return Section(
        "Deployment package",
        "`infra/package.py` (`chalice package --stage dev` + bytecode) into a temporary "
        "folder; sizes read from the zip's directory",
        rows,
    )
