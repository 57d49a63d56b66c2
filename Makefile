# Set-up is idempotent: each step leaves a stamp, so a second `make test` goes straight to pytest.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.neurojit-installed

.PHONY: setup test demo lint bench clean-venv

$(PY):
	@python3 -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	@echo "setting up $(VENV) (llama-cpp-python compiles llama.cpp once, about 5 min; pip caches it)"
	@$(PY) -m pip install -q -e '.[dev]'
	@touch $@

setup: $(STAMP)

test: setup
	@$(PY) -m pytest -q

lint: setup
	@$(VENV)/bin/ruff check neurojit tests tools examples
	@$(VENV)/bin/ruff format --check neurojit tests tools examples

demo: setup
	@$(PY) -c "import sys; print('the Lunar Lander demo is not built yet (issue: self-healing runs and the lander)'); sys.exit(0)"

clean-venv:
	rm -rf $(VENV)
