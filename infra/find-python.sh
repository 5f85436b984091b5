#!/usr/bin/env bash
# Print the path of a Python that can package event-service for Lambda; the .venv is created
# with it. Lambda's runtime is the Python that runs `chalice package`, Lambda has deprecated
# 3.11, and chalice packages 3.12 to 3.15 each for the runtime of its own version (chalice's
# Config.lambda_python_version and the packager's _RUNTIME_TO_ABI; a newer Python would be
# packaged as an older runtime). tests/infra/test_find_python.py checks this range against the
# installed chalice.
# Order: $PYTHON (if set, it must do), python3.15 ... python3.12 on PATH (newest first), pyenv's
# versions (newest first), python3. Only the path goes to stdout, so `$(infra/find-python.sh)`
# captures it; which interpreter was chosen, and why others were not, goes to stderr.
set -euo pipefail

OLDEST_MINOR=12
NEWEST_MINOR=15
SUPPORTED="3.$OLDEST_MINOR to 3.$NEWEST_MINOR"

# "<major> <minor> <version>" of a Python with venv, or nothing. A pyenv shim exists on PATH
# even when its version is not selected, so run it rather than trusting its name.
probe() {
    "$1" -c 'import sys, venv; print(*sys.version_info[:2], sys.version.split()[0])' 2>/dev/null ||
        true
}

# Print the path and say which it is when $1 is a supported interpreter.
choose() {
    local path major minor version
    path="$(command -v "$1" 2>/dev/null)" || return 1
    read -r major minor version < <(probe "$path") || return 1
    [[ "$major" =~ ^[0-9]+$ && "$minor" =~ ^[0-9]+$ ]] || return 1
    if ((major != 3 || minor < OLDEST_MINOR || minor > NEWEST_MINOR)); then
        echo "event-service: skipping $path: Python $version (chalice packages $SUPPORTED)" >&2
        return 1
    fi
    echo "event-service: using Python $version at $path (Lambda runtime python3.$minor)" >&2
    echo "$path"
}

if [[ -n "${PYTHON:-}" ]]; then
    if choose "$PYTHON"; then
        exit 0
    fi
    echo "event-service: PYTHON=$PYTHON is not a working Python $SUPPORTED" >&2
    exit 1
fi

candidates=()
for ((minor = NEWEST_MINOR; minor >= OLDEST_MINOR; minor--)); do
    candidates+=("python3.$minor")
done
if command -v pyenv >/dev/null 2>&1; then
    root="$(pyenv root 2>/dev/null || true)"
    if [[ -n "$root" ]]; then
        for ((minor = NEWEST_MINOR; minor >= OLDEST_MINOR; minor--)); do
            # Newest patch release first.
            while IFS= read -r dir; do
                candidates+=("$dir/bin/python3")
            done < <(ls -d "$root"/versions/3."$minor".* 2>/dev/null | sort -t. -k3,3nr)
        done
    fi
fi
candidates+=(python3)

for candidate in "${candidates[@]}"; do
    if choose "$candidate"; then
        exit 0
    fi
done
echo "event-service: no Python $SUPPORTED found (Lambda's runtime is the Python that" \
    "packages); install one (e.g. pyenv install 3.13) or set PYTHON=/path/to/python3.13" >&2
exit 1
