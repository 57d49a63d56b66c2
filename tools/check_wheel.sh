#!/usr/bin/env bash
# Build NeuroJIT's wheel (not the editable install), put it in a fresh venv, and use it the
# way a user would: the driver, the model registry, and one repair with the mock runner.
# Run by .ci/run after `make test`; an editable checkout hides missing package data.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PY:-$ROOT/.venv/bin/python}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$PY" -m pip wheel -q --no-deps -w "$tmp/dist" "$ROOT" 2>&1 | grep -v "ignored" || true
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install -q --upgrade pip 2>&1 | grep -v "ignored" || true
"$ROOT/tools/install_llama.sh" "$tmp/venv"  # from the wheel cache: seconds
"$tmp/venv/bin/pip" install -q "$tmp"/dist/neurojit-*.whl 2>&1 | grep -v "ignored" || true

cd "$tmp"  # away from the checkout: only the installed wheel can be imported
cp "$ROOT/tests/unit/healing/data/ratio.mlir" "$ROOT/tests/unit/healing/data/ratio_model_fix.txt" .
"$tmp/venv/bin/neurojit-opt" --help >/dev/null
"$tmp/venv/bin/neurojit" models list >"$tmp/models.txt"
grep smollm2-135m "$tmp/models.txt" >/dev/null
"$tmp/venv/bin/python" -c "from neurojit.llm_pass import grammar; assert 'func' in grammar.base_grammar()"
out=$(NEUROJIT_HOME="$tmp/home" "$tmp/venv/bin/neurojit-run" ratio.mlir --entry ratio --arg 7 --arg 0 \
    --runner mock --responses ratio_model_fix.txt --proposers model 2>"$tmp/err") || {
    cat "$tmp/err" >&2
    echo "check_wheel: the mock repair failed" >&2
    exit 1
}
[ "$out" = "7" ] || { echo "check_wheel: expected 7 (the second answer: a zero divisor gives a) after the repair, got '$out'" >&2; exit 1; }
grep -q "model attempt 2.*accepted" "$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
echo "wheel check: installed wheel runs neurojit-opt, neurojit models, and a mock repair"
