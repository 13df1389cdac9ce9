# The two commands a newcomer needs:
#   make run    set up, then run complaintbot on embedded defaults (SQLite, local ports)
#   make test   set up, then run the whole test suite (and lint and type checks)
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: run test lint setup clean

# SMS and Telegram come on as pretend channels (scripts.sms_phone, scripts.telegram_chat)
# unless real credentials are set; `make run COMPLAINTBOT_PRETEND_CHANNELS=false` turns that off.
run: export COMPLAINTBOT_PRETEND_CHANNELS ?= true
run: $(VENV)/.installed
	$(BIN)/complaintbot serve

test: $(VENV)/.installed
	$(BIN)/pytest
	$(MAKE) --no-print-directory lint

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "complaintbot needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
