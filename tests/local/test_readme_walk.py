"""The README's "First ten minutes", executed: its ``sh`` blocks against a real ``make run``.

The section's convention (also written in the README, in a comment above its first block):
the ``# terminal 1`` block is one ``NAME=value ... make run`` line, started here as
``python -m local.run`` (what ``make run`` execs) with those settings on free ports and a
temporary DATA_DIR; the ``# terminal 2`` blocks run in order in one bash session, so
variables and background jobs carry over; ports 8000 and 9000 are replaced by free ones;
``# expect: TEXT`` waits for TEXT in what the block (and anything running in the background)
printed, ``# repeat until: TEXT`` runs the block again until its own output shows TEXT.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from local.config import PROJECT_DIR
from tests.local.support import free_port, wait_until
from tests.local.test_run import START_DEADLINE, STOP_DEADLINE, Runtime

README = PROJECT_DIR / "README.md"
SECTION = "First ten minutes"
API_PORT, RECEIVER_PORT = "8000", "9000"
EXPECT, REPEAT = "# expect:", "# repeat until:"
STEP_DEADLINE = 60.0  # generous: a deadline for slow machines, never a speed assertion


@dataclass
class Block:
    terminal: str
    code: str
    expect: list[str] = field(default_factory=list)
    repeat_until: list[str] = field(default_factory=list)


def section(markdown: str, title: str) -> str:
    """The text under ``## title`` up to the next ``## `` heading."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", markdown, re.S | re.M)
    assert match, f"the README has no '## {title}' section"
    return match.group(1)


def parse_blocks(text: str) -> list[Block]:
    blocks = []
    for code in re.findall(r"^```sh\n(.*?)^```$", text, re.S | re.M):
        first = code.splitlines()[0]
        terminal = re.match(r"# (terminal [12])\b", first)
        assert terminal, f"a block of '{SECTION}' must start with '# terminal 1|2': {first!r}"
        block = Block(terminal.group(1), code)
        for line in code.splitlines():
            if line.startswith(EXPECT):
                block.expect.append(line.removeprefix(EXPECT).strip())
            elif line.startswith(REPEAT):
                block.repeat_until.append(line.removeprefix(REPEAT).strip())
        blocks.append(block)
    return blocks


def make_run_settings(block: Block) -> dict[str, str]:
    """The settings of the ``NAME=value ... make run`` line of the terminal 1 block."""
    lines = [line for line in block.code.splitlines() if line and not line.startswith("#")]
    assert len(lines) == 1, f"terminal 1 runs one command: {lines}"
    words = shlex.split(lines[0])
    assert words[-2:] == ["make", "run"], lines[0]
    settings = dict(word.split("=", 1) for word in words[:-2])
    assert all(re.fullmatch(r"[A-Z_][A-Z0-9_]*", name) for name in settings), settings
    return settings


class Terminal:
    """One bash session fed block by block; everything it prints is kept in order."""

    def __init__(self, ports: dict[str, str], env: dict[str, str], folder: Path) -> None:
        self.ports = ports
        self.folder = folder
        self.output = ""
        self._lock = threading.Lock()
        self._steps = 0
        self.process = subprocess.Popen(
            ["bash", "--noprofile", "--norc"],
            cwd=PROJECT_DIR,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # the receiver joins this group: stopped with it
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            with self._lock:
                self.output += line

    def printed_since(self, offset: int) -> str:
        with self._lock:
            return self.output[offset:]

    def run(self, code: str) -> tuple[int, str]:
        """Run ``code`` (ports replaced) as the person would; (exit status, what it printed)."""
        for port, free in self.ports.items():
            code = re.sub(rf"\b{port}\b", free, code)
        self._steps += 1
        script = self.folder / f"step-{self._steps}.sh"
        script.write_text(code)
        done = f"__step {self._steps} done:"
        start = len(self.printed_since(0))
        # Sourced with stdin from /dev/null, so no command can read the next block as input.
        source = f"source {shlex.quote(str(script))} </dev/null"
        self.process.stdin.write(f'{source}\necho "{done} $?"\n')
        self.process.stdin.flush()
        finished = wait_until(
            lambda: re.search(rf"{re.escape(done)} (\d+)$", self.printed_since(start), re.M),
            f"block {self._steps} to finish:\n{code}",
            STEP_DEADLINE,
        )
        return int(finished.group(1)), self.printed_since(start)[: finished.start()]

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=STOP_DEADLINE)


def walk(blocks: list[Block], terminal: Terminal) -> None:
    for block in blocks:
        start = len(terminal.printed_since(0))
        status, printed = terminal.run(block.code)
        assert status == 0, f"exit status {status}:\n{block.code}\n{printed}"
        for text in block.expect:
            wait_until(
                lambda text=text, start=start: text in terminal.printed_since(start),
                f"{text!r} after\n{block.code}\n(printed so far: {terminal.printed_since(start)})",
                STEP_DEADLINE,
            )

        def shows_all(block: Block = block) -> bool:
            status, printed = terminal.run(block.code)
            assert status == 0, f"exit status {status}:\n{block.code}\n{printed}"
            return all(text in printed for text in block.repeat_until)

        if block.repeat_until and not all(text in printed for text in block.repeat_until):
            wait_until(shows_all, f"{block.repeat_until} from\n{block.code}", STEP_DEADLINE)


def test_the_section_is_walkable_as_written():
    """The conventions hold, and the walk asserts what matters: the webhook and its execution."""
    blocks = parse_blocks(section(README.read_text(), SECTION))
    assert [b.terminal for b in blocks].count("terminal 1") == 1
    assert blocks[0].terminal == "terminal 1"
    settings = make_run_settings(blocks[0])
    assert {"ADMIN_USERNAME", "ADMIN_PASSWORD", "EVENT_SERVICE_WEBHOOK_ALLOW_PRIVATE"} <= set(
        settings
    )
    code = "".join(b.code for b in blocks[1:])
    assert re.search(rf"\b{API_PORT}\b", code) and re.search(rf"\b{RECEIVER_PORT}\b", code)
    assert "jq" not in code.split()  # no tool beyond curl and python3
    expected = [text for b in blocks for text in b.expect]
    assert any(text.startswith("webhook:") for text in expected), "the receiver gets the call"
    assert any("/executions" in b.code and b.repeat_until for b in blocks), "executions listed"
    # `make run` is what the test starts: python -m local.run with the settings of that line.
    recipe = re.search(r"^run:.*\n((?:\t.*\n)+)", (PROJECT_DIR / "Makefile").read_text(), re.M)
    assert recipe and "-m local.run" in recipe.group(1)


@pytest.mark.skipif(shutil.which("curl") is None, reason="the README's commands use curl")
def test_first_ten_minutes_works_as_written(tmp_path):
    blocks = parse_blocks(section(README.read_text(), SECTION))
    runtime = Runtime(tmp_path, tmp_path / "data", **make_run_settings(blocks[0]))
    environment = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    # python3 is the person's; any 3.x runs the receiver, this one is sure to exist.
    environment["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{environment['PATH']}"
    terminal = None
    try:
        wait_until(runtime.healthy, "make run to answer GET /health", START_DEADLINE)
        ports = {API_PORT: str(runtime.port), RECEIVER_PORT: str(free_port())}
        terminal = Terminal(ports, environment, tmp_path)
        walk(blocks[1:], terminal)
    finally:
        if terminal is not None:
            terminal.close()
        runtime.kill()
