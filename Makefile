# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test eval bench

# Create the virtual environment and install the project with pip. constraints.txt pins
# torch to the machine's local CPU wheel, so no multi-GB CUDA build is ever pulled.
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m assistant chat

test: $(STAMP)
	$(PY) -m pytest

eval: $(STAMP)
	$(PY) -m assistant eval

bench: $(STAMP)
	$(PY) -m benchmarks
