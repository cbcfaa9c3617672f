# The course's two commands: `make lab` and `make test`. Both create the project-local
# environment in .venv on first use (and again whenever pyproject.toml or
# constraints.txt change). Maintainer targets are described in CONTRIBUTING.md.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.course-installed
PORT ?= 8888
EXTRAS ?= dev
# Jupyter's runtime files and JupyterLab's workspaces stay inside the project.
export JUPYTER_RUNTIME_DIR := $(CURDIR)/$(VENV)/jupyter-runtime
export JUPYTERLAB_WORKSPACES_DIR := $(CURDIR)/$(VENV)/jupyterlab-workspaces
# So does everything else the tools write as they run: Keras's config, IPython's history,
# matplotlib's font cache, Jupyter's settings and data, npm's logs (JupyterLab's
# language-server probe runs npm), a GPU's compiled-kernel cache and the test tools'
# caches. The one file outside is the data cache of course_lib.data (see data/README.md).
export KERAS_HOME := $(CURDIR)/$(VENV)/keras
export IPYTHONDIR := $(CURDIR)/$(VENV)/ipython
export MPLCONFIGDIR := $(CURDIR)/$(VENV)/matplotlib
export JUPYTER_CONFIG_DIR := $(CURDIR)/$(VENV)/jupyter-config
export JUPYTER_DATA_DIR := $(CURDIR)/$(VENV)/jupyter-data
export npm_config_cache := $(CURDIR)/$(VENV)/npm-cache
export CUDA_CACHE_PATH := $(CURDIR)/$(VENV)/nv-compute-cache
export HYPOTHESIS_STORAGE_DIRECTORY := $(CURDIR)/$(VENV)/hypothesis
export MYPY_CACHE_DIR := $(CURDIR)/$(VENV)/mypy-cache
export RUFF_CACHE_DIR := $(CURDIR)/$(VENV)/ruff-cache
NBVAL_FLAGS := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
	--nbval-cell-timeout 300
# Test processes (pytest-xdist): two at a time; the cells of each notebook stay in one
# process, in order (--dist loadscope). TEST_WORKERS=0 runs everything in one.
TEST_WORKERS ?= 2
export COURSE_TEST_WORKERS := $(TEST_WORKERS)

.PHONY: lab test test-browser test-portable bench env notebooks student-version clean

env: $(STAMP)

$(STAMP): pyproject.toml constraints.txt jupyter/overrides.json
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
		{ echo "The course needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1). Run: make PYTHON=python3.11 ..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[$(EXTRAS)]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 \
		--display-name "Python 3 (deep-learning course)" > /dev/null
	@# The course works offline: JupyterLab should not ask to fetch news or check for updates.
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp jupyter/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	@touch $(STAMP)
	@echo "Environment ready in $(VENV)."

lab: $(STAMP)
	env -u MPLBACKEND $(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) \
		--ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/notebooks \
		$(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	env -u MPLBACKEND $(BIN)/python -m pytest $(NBVAL_FLAGS) -n $(TEST_WORKERS) --dist loadscope \
		--ignore=tests/browser tests notebooks

# Every notebook in JupyterLab, driven by headless Chromium: Run All, every widget renders,
# every control redraws it (latency table at the end; screenshots and latency.json in
# build/browser/, not committed). Needs Debian's chromium and chromium-driver.
# COURSE_BROWSER_NOTEBOOKS=00,06 limits it to some notebooks.
test-browser: $(STAMP)
	@command -v chromium > /dev/null && command -v chromedriver > /dev/null || { \
		echo "make test-browser needs Chromium and its WebDriver. On Debian or Ubuntu, as root:"; \
		echo "    apt-get install -y chromium chromium-driver"; \
		echo "(or set COURSE_CHROMIUM and COURSE_CHROMEDRIVER to their paths)"; \
		test -n "$$COURSE_CHROMIUM" -a -n "$$COURSE_CHROMEDRIVER"; }
	env -u MPLBACKEND $(BIN)/python -m pytest -p no:cacheprovider -v -s tests/browser

# The notebooks again, in two numeric environments that imitate other CPUs (see
# CONTRIBUTING.md, "Portable outputs"): their stored outputs must hold on every machine.
test-portable: $(STAMP)
	$(BIN)/python -m course_lib.maintenance portable notebooks

# Time budgets (COURSE.md), measured on this machine: widget redraws, import time, every
# notebook with and without AVX-512 (and its predicted time on a laptop CPU, where perf is
# installed: apt-get install linux-perf), the live plot and the recipe benchmarks. Prints one
# table and fails if a budget is missed. Not part of `make test`: a loaded machine is slow.
bench: $(STAMP)
	env -u MPLBACKEND $(BIN)/python scripts/bench.py $(BENCH_ARGS)

# Re-execute notebooks (all, or NB=notebooks/03_backpropagation.py) and refresh both
# files of each pair. Run after editing a notebook's .py file.
notebooks: $(STAMP)
	$(BIN)/python -m course_lib.maintenance execute $(or $(NB),notebooks)

# Student copies without solutions, in student/ (not committed).
student-version: $(STAMP)
	$(BIN)/python -m course_lib.maintenance student notebooks student

clean:
	rm -rf $(VENV) student

# Offline editions for instructors (see CONTRIBUTING.md, "Offline HTML and slides"): every
# executed notebook as a static page, or as a reveal.js deck, with MathJax and reveal.js
# copied in, so the folder opens without network access. Not committed.
# NB=00,06 limits them to some notebooks.
.PHONY: html slides
html: $(STAMP)
	$(BIN)/python -m course_lib.export html notebooks build/html $(if $(NB),--only $(NB))

slides: $(STAMP)
	$(BIN)/python -m course_lib.export slides notebooks build/slides $(if $(NB),--only $(NB))
