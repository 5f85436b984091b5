"""``chalice local`` as a child of the local runtime, made to die with its parent.

Usage (by ``local.run``): ``python -m local.api_server <chalice local options>``.
"""

from __future__ import annotations

import logging
import os
import signal
import sys

from local.config import PROJECT_DIR

ENV_SUPERVISOR_PID = "EVENT_SERVICE_SUPERVISOR_PID"
_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask Linux for SIGTERM when the supervisor goes, however it goes (even SIGKILL)."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    supervisor = os.environ.get(ENV_SUPERVISOR_PID)
    # The parent may have gone before prctl took effect.
    if supervisor and os.getppid() != int(supervisor):
        sys.exit(1)


def main(argv: list[str] | None = None) -> int:
    die_with_parent()
    # chalice local logs at INFO from the root logger; these libraries would say the same
    # things (credentials found, default settings used) once per table on the first request.
    for name in ("botocore", "pynamodb"):
        logging.getLogger(name).setLevel(logging.WARNING)
    from chalice.cli import main as chalice_main

    from local import peer_address, routing

    routing.install()  # {proxy+} at any depth, as API Gateway matches it
    peer_address.install()  # the lock-out counts per client address, as behind API Gateway

    arguments = sys.argv[1:] if argv is None else argv
    sys.argv = ["chalice", "--project-dir", str(PROJECT_DIR), "local", *arguments]
    return chalice_main()


if __name__ == "__main__":
    sys.exit(main())
