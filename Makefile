# papershelf: `make site` builds output/, `make test` runs the test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup site test serve lint format clean screenshots

# Node packages (KaTeX renders math at build time) come from package-lock.json.
NODE_FILES := $(wildcard package.json package-lock.json)

$(STAMP): pyproject.toml $(NODE_FILES)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	if [ -f package.json ]; then npm ci --no-audit --no-fund; fi
	touch $(STAMP)

setup: $(STAMP)

site: $(STAMP)
	$(BIN)/papershelf build

# Browser tests use Debian's Chromium (never a downloaded browser); without it they skip.
test: $(STAMP)
	command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] \
		&& apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } \
		|| echo "chromium missing: browser tests will be skipped"
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

serve: site
	$(BIN)/python -m http.server --directory output --bind 127.0.0.1 8000

# README screenshots of the built site (Chromium; CJK needs fonts-noto-cjk).
screenshots: site
	$(BIN)/python -m papershelf.devtools.screenshots output .github/screenshots

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf output cache
