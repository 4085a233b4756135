# papershelf: `make site` builds output/, `make test` runs the test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two set-ups, each with its stamp: the runtime (build, fetch, check) and, on top of it,
# development (tests, linter, browser tests, bench). `make site` never needs the second.
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev
# The whole dependency tree, pinned; `make lock` writes both from pyproject.toml.
RUNTIME_LOCK := requirements/runtime.txt
DEV_LOCK := requirements/dev.txt

.PHONY: setup setup-dev system-packages site test fuzz serve devserver lint format lock clean screenshots translations

# The interface's catalogs (theme/translations/<lang>/LC_MESSAGES/{messages,js}.po),
# compiled to .mo by every set-up; the .mo files are built, never committed.
TRANSLATIONS := theme/translations
PO_FILES := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

# Node packages (KaTeX renders math at build time) come from package-lock.json.
NODE_FILES := $(wildcard package.json package-lock.json)

# Once the development set is installed, a runtime set-up keeps it (and refreshes it):
# `make site` after `make test` uninstalls nothing.
HAS_DEV = $(wildcard $(DEV_STAMP))
STALE_LOCK = { echo "the pins in requirements/ do not match pyproject.toml: run 'make lock'"; exit 1; }

# Exactly the pinned packages, then the project itself (editable, no resolution).
$(RUNTIME_STAMP): pyproject.toml $(RUNTIME_LOCK) $(NODE_FILES)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -c $(RUNTIME_LOCK) --upgrade pip
	$(BIN)/pip install --quiet -r $(if $(HAS_DEV),$(DEV_LOCK),$(RUNTIME_LOCK))
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/pip check >/dev/null || $(STALE_LOCK)
	if [ -f package.json ]; then npm ci --no-audit --no-fund $(if $(HAS_DEV),,--omit=dev); fi
	touch $@

# Debian's packages the tests use: Chromium (browser tests, Lighthouse) and Java (the Nu
# HTML checker, vnu-jar). Installed with apt when run as root, before the development npm
# ci, so that vnu-jar's install script finds Debian's Java and downloads none; without
# root, the tests that need them are skipped. Nothing is done when both are there.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else echo "not root, so not installing$$missing: the tests that need it will be skipped"; fi

$(DEV_STAMP): $(RUNTIME_STAMP) $(DEV_LOCK) | system-packages
	$(BIN)/pip install --quiet -r $(DEV_LOCK)
	$(BIN)/pip check >/dev/null || $(STALE_LOCK)
	if [ -f package.json ]; then npm ci --no-audit --no-fund; fi
	touch $@

$(TRANSLATIONS)/%.mo: $(TRANSLATIONS)/%.po | $(RUNTIME_STAMP)
	$(BIN)/pybabel compile --statistics -i $< -o $@

setup: $(RUNTIME_STAMP) $(MO_FILES)

setup-dev: $(DEV_STAMP) $(MO_FILES)

site: setup
	$(BIN)/papershelf build

# Browser tests and Lighthouse use Debian's Chromium (never a downloaded browser), the Nu
# HTML checker Debian's Java; system-packages installs both (see above).
test: system-packages $(DEV_STAMP) $(MO_FILES)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

# Coverage-guided fuzzing (atheris) of the feed, note and query parsers, SECONDS in
# all, shared between them; not part of `make test`. Exit status 1 if one crashed.
SECONDS ?= 60
fuzz: $(DEV_STAMP)
	$(BIN)/python tests/fuzz/run.py $(SECONDS)

# Both serve output/ on http://127.0.0.1:8000 (Ctrl-C stops them); the second builds
# it first, then again on every change, and open pages reload themselves.
serve: site
	$(BIN)/papershelf serve

devserver: setup
	$(BIN)/papershelf serve --reload

# README screenshots of the built site (Chromium; CJK needs fonts-noto-cjk).
screenshots: $(DEV_STAMP) site
	$(BIN)/python -m papershelf.devtools.screenshots output .github/screenshots

# Extract every interface string (babel.cfg): templates and Python into messages.pot,
# the scripts into js.pot; merge them into each language's .po, then compile. New or
# changed strings come out empty or fuzzy: translate them (tests/test_i18n.py fails
# until then). A new language: pybabel init -l <lang> -D messages (and -D js).
EXTRACT = $(BIN)/pybabel extract -F babel.cfg -k N_ --add-location=file --sort-by-file \
	--no-wrap --project=papershelf --copyright-holder="the papershelf contributors" \
	--ignore-dirs=".* _* node_modules output* cache content data tests requirements
translations: $(RUNTIME_STAMP)
	$(EXTRACT) js" -o $(TRANSLATIONS)/messages.pot .
	$(EXTRACT) templates plugins" -o $(TRANSLATIONS)/js.pot .
	for domain in messages js; do $(BIN)/pybabel update --no-wrap --ignore-obsolete \
		-D $$domain -i $(TRANSLATIONS)/$$domain.pot -d $(TRANSLATIONS); done
	$(MAKE) setup

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEV_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Refresh the pins: a fresh temporary venv from pyproject.toml alone (latest pip and
# setuptools, the project's own exact pins, the newest releases of everything else),
# frozen twice: the runtime set, then the test extras installed on top of it with the
# runtime pins kept. Commit requirements/ afterwards; `make setup` installs from it.
FREEZE = "$$tmp/venv/bin/pip" freeze --all --exclude papershelf --exclude wheel
lock:
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(PYTHON) -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/pip" install --quiet --upgrade pip setuptools; \
	"$$tmp/venv/bin/pip" install --quiet -e .; \
	{ echo "# The runtime set (fetch, build, check): the whole tree, pinned. \`make setup\`"; \
	  echo "# installs exactly this. Written by \`make lock\` from pyproject.toml: do not edit."; \
	  $(FREEZE); } >"$$tmp/runtime.txt"; \
	"$$tmp/venv/bin/pip" install --quiet -c "$$tmp/runtime.txt" -e '.[test]'; \
	{ echo "# The development set (\`make test\`): the runtime set and the test extras,"; \
	  echo "# pinned. Written by \`make lock\` from pyproject.toml: do not edit."; \
	  echo "-r runtime.txt"; \
	  $(FREEZE) | grep -vxFf "$$tmp/runtime.txt"; } >"$$tmp/dev.txt"; \
	mkdir -p requirements; mv "$$tmp/runtime.txt" "$$tmp/dev.txt" requirements/; \
	echo "wrote $(RUNTIME_LOCK) and $(DEV_LOCK)"

clean:
	rm -rf output cache
