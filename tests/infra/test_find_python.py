"""``infra/find-python.sh``: any Python chalice packages for Lambda (3.12 and newer), newest
first, the path alone on stdout and the choice on stderr.

Fake interpreters (shell scripts answering the script's probe) on a PATH of their own make the
choice independent of what this machine has installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
SCRIPT = PROJECT_DIR / "infra" / "find-python.sh"
BASH = shutil.which("bash") or "/bin/bash"
TOOLS = ("ls", "sort")  # what the script runs besides its own builtins


def declared_range() -> tuple[int, int]:
    text = SCRIPT.read_text()
    oldest = re.search(r"^OLDEST_MINOR=(\d+)$", text, re.MULTILINE)
    newest = re.search(r"^NEWEST_MINOR=(\d+)$", text, re.MULTILINE)
    assert oldest and newest, "find-python.sh declares OLDEST_MINOR and NEWEST_MINOR"
    return int(oldest.group(1)), int(newest.group(1))


def fake_python(path: Path, version: str) -> Path:
    """An executable that answers the script's probe as Python ``version`` would."""
    major, minor, _ = version.split(".", 2)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho '{major} {minor} {version}'\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def bin_dir(tmp_path) -> Path:
    """A PATH holding only the tools the script needs (no interpreter yet)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for tool in TOOLS:
        (folder / tool).symlink_to(shutil.which(tool))
    return folder


def find_python(bin_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BASH, str(SCRIPT)],
        env={"PATH": str(bin_dir), **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_range_is_what_the_installed_chalice_packages_for():
    from chalice.deploy.packager import BaseLambdaDeploymentPackager

    runtimes = BaseLambdaDeploymentPackager._RUNTIME_TO_ABI  # runtime -> wheel ABI tag
    packaged = sorted(int(name.removeprefix("python3.")) for name in runtimes)
    oldest, newest = declared_range()
    assert oldest == 12  # Lambda has deprecated 3.11
    assert newest == packaged[-1]
    assert set(range(oldest, newest + 1)) <= set(packaged)


def test_the_range_keeps_its_own_lambda_runtime(monkeypatch):
    """Each accepted version packages as its own runtime; the next one would not."""
    from chalice.config import Config

    oldest, newest = declared_range()
    for minor in range(oldest, newest + 2):
        monkeypatch.setattr(sys, "version_info", (3, minor, 0, "final", 0))
        runtime = Config().lambda_python_version
        assert (runtime == f"python3.{minor}") == (minor <= newest), runtime


@pytest.mark.parametrize("version", ["3.12.9", "3.13.1", "3.14.0", "3.15.2"])
def test_accepts_each_supported_version_and_says_which(bin_dir, version):
    minor = version.split(".")[1]
    python = fake_python(bin_dir / f"python3.{minor}", version)
    result = find_python(bin_dir)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{python}\n"  # the path alone: $(infra/find-python.sh) takes it
    assert f"using Python {version} at {python} (Lambda runtime python3.{minor})" in result.stderr


def test_prefers_the_newest_supported_version(bin_dir):
    fake_python(bin_dir / "python3.12", "3.12.3")
    newest = fake_python(bin_dir / "python3.14", "3.14.1")
    fake_python(bin_dir / "python3", "3.11.7")
    assert find_python(bin_dir).stdout == f"{newest}\n"


@pytest.mark.parametrize("version", ["3.11.7", "3.16.0", "2.7.18"])
def test_refuses_what_chalice_cannot_package_for(bin_dir, version):
    fake_python(bin_dir / "python3", version)
    result = find_python(bin_dir)
    assert result.returncode == 1
    assert result.stdout == ""
    assert f"skipping {bin_dir / 'python3'}: Python {version}" in result.stderr
    assert "no Python 3.12 to 3.15 found" in result.stderr


def test_falls_back_to_python3_and_to_pyenv_versions(bin_dir, tmp_path):
    fake_python(bin_dir / "python3", "3.11.7")
    root = tmp_path / "pyenv"
    fake_python(root / "versions" / "3.13.2" / "bin" / "python3", "3.13.2")
    newest_patch = fake_python(root / "versions" / "3.13.10" / "bin" / "python3", "3.13.10")
    pyenv = bin_dir / "pyenv"
    pyenv.write_text(f'#!/bin/sh\n[ "$1" = root ] && echo {root}\n')
    pyenv.chmod(0o755)
    assert find_python(bin_dir).stdout == f"{newest_patch}\n"

    (bin_dir / "pyenv").unlink()
    python3 = fake_python(bin_dir / "python3", "3.14.0")
    assert find_python(bin_dir).stdout == f"{python3}\n"


def test_python_variable_must_do(bin_dir):
    good = fake_python(bin_dir / "python-good", "3.14.0")
    fake_python(bin_dir / "python-old", "3.11.7")
    fake_python(bin_dir / "python3.13", "3.13.1")

    chosen = find_python(bin_dir, PYTHON=str(good))
    assert chosen.returncode == 0 and chosen.stdout == f"{good}\n"

    refused = find_python(bin_dir, PYTHON="python-old")
    assert refused.returncode == 1 and refused.stdout == ""
    assert "PYTHON=python-old is not a working Python 3.12 to 3.15" in refused.stderr

    missing = find_python(bin_dir, PYTHON="no-such-python")
    assert missing.returncode == 1 and "PYTHON=no-such-python" in missing.stderr


def test_a_broken_interpreter_is_passed_over(bin_dir):
    broken = bin_dir / "python3.14"
    broken.write_text("#!/bin/sh\nexit 127\n")  # e.g. a pyenv shim of an unselected version
    broken.chmod(0o755)
    working = fake_python(bin_dir / "python3.12", "3.12.8")
    assert find_python(bin_dir).stdout == f"{working}\n"
