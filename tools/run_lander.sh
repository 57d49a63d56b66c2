#!/usr/bin/env bash
# The Lunar Lander demo: set up whatever is missing, then fly with self-healing.
#
#   tools/run_lander.sh                      # default: llama runner, proposers model,rules
#   tools/run_lander.sh --runner none        # healing off: shows the fault, exits 3
#   tools/run_lander.sh --proposers rules    # no model at all
#
# Every flag goes to examples/lander/driver.py (see --help). Exit code: 0 landed, 3 a fault
# nobody repaired, 4 crashed. LANDER_DELAY (seconds per step, default 0.02) paces the display.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="${VENV:-.venv}"
PY="$VENV/bin/python"

if [ ! -x "$PY" ]; then
    echo "run_lander: creating $VENV" >&2
    python3 -m venv "$VENV"
    "$PY" -m pip install -q --upgrade pip
fi
if ! "$PY" -c "import neurojit.healing, matplotlib, xdsl, llvmlite, numpy" 2>/dev/null; then
    echo "run_lander: installing neurojit into $VENV" >&2
    tools/install_llama.sh "$VENV"  # portable llama.cpp, built once (see the script)
    "$PY" -m pip install -q -e '.[dev]'
fi

# The default model, fetched only when this flight may query one: the llama runner, the model
# proposer, and no --model of the user's own.
runner=llama proposers=model,rules user_model=""
prev=""
for arg in "$@"; do
    case "$prev" in
        --runner) runner="$arg" ;;
        --proposers) proposers="$arg" ;;
        --model) user_model="$arg" ;;
    esac
    case "$arg" in
        --runner=*) runner="${arg#--runner=}" ;;
        --proposers=*) proposers="${arg#--proposers=}" ;;
        --model=*) user_model="${arg#--model=}" ;;
    esac
    prev="$arg"
done
if [ "$runner" = llama ] && [[ ",$proposers," == *",model,"* ]] && [ -z "$user_model" ]; then
    if ! "$PY" -m neurojit.cli.models path >/dev/null 2>&1; then
        echo "run_lander: no model present; fetching smollm2-135m" >&2
        "$PY" tools/fetch_model.py smollm2-135m >&2
    fi
fi

exec "$PY" examples/lander/driver.py --delay "${LANDER_DELAY:-0.02}" "$@"
