# Simpul — the two commands a person needs are `make run` and `make test`.
# Every recipe runs under `bash -euo pipefail`: the first failing command stops the target.

SHELL        := /bin/bash
.SHELLFLAGS  := -euo pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

CONFIG ?= release
BIN    ?= $(CURDIR)/.build/$(CONFIG)/simpul
DB     ?= simpul.db
HOST   ?= 127.0.0.1
PORT   ?= 8080
PYTHON ?= python3

DB_ABS     := $(abspath $(DB))
CREDS      := demo-credentials.txt
DEMO_USER  := admin
VENV       := .venv-test
# The example district's DNS server: a named of our own on 127.0.0.1 (Inventory/zones.yaml points
# every zone at 127.0.0.1:5300), its key, zones and journal kept in .demo-dns/ between runs.
DNS_DIR    := $(CURDIR)/.demo-dns
DNS_PORT   := 5300
DNS_ZONES   = $$(sed -n 's/^  - name: *//p' Inventory/zones.yaml)
# The example district's SNMP agents (scripts/demo-agents.sh): snmpsim (PyPI, in $(DEMO_VENV)) for the
# agencies' routers and net-snmp's snmpd for the data center's devices, on their loopback addresses at
# port 16100 (Inventory/devices.yaml); recordings, the demo's credentials file and logs in .demo-snmp/.
DEMO_SNMP  := $(CURDIR)/.demo-snmp
DEMO_VENV  ?= .venv-demo
DEMO_PY    := "snmpsim>=1.1,<2" "pysmi>=2,<3"
POLL_EVERY ?= 60s
SIMPUL     := SIMPUL_DB="$(DB_ABS)" SIMPUL_TSIG_KEY="$(DNS_DIR)/simpul.key" "$(BIN)"
# Every check Simpul sends from a recipe here (the demo, the tests, the benchmarks) stays on loopback,
# whatever the example district's pools say: addresses outside this are refused before a packet.
export SIMPUL_PROBE_ALLOW := 127.0.0.0/8,::1/128

# Debian packages. BIND is installed by scripts/named-ensure.sh, which keeps the system's named stopped.
# jq and curl are not for building: the README's tours, pasted after `make run`, use them.
BUILD_APT := libsnmp-dev libpcap-dev libsqlite3-dev libcurl4-openssl-dev pkg-config jq curl
TEST_APT  := $(BUILD_APT) chromium chromium-driver python3-venv fonts-dejavu-core openssl snmpd snmp poppler-utils wireshark-common
BENCH_APT := $(BUILD_APT) hyperfine wrk time curl chromium fonts-dejavu-core gcc iproute2
# What `make run` needs besides building: headless Chromium prints the LAN letters to PDF on the
# server (SimpulPDF), with DejaVu fonts; poppler-utils' pdftotext reads them back in the README's tour.
RUN_APT   := chromium fonts-dejavu-core poppler-utils
# aiosmtpd: the real SMTP server the mail tests start on loopback (Tests/Rigs/smtp_server.py).
# snmpsim: the simulated SNMP agents of the SNMP tests (Tests/Rigs/SNMPAgent.swift); it imports pysmi
# without declaring it (1.2.2), so pysmi is named too.
TEST_PY   := "selenium>=4.15,<5" "pytest>=8" "aiosmtpd>=1.4,<2" "snmpsim>=1.1,<2" "pysmi>=2,<3"

.PHONY: help run test bench man completions clean deps deps-test deps-run build build-tests venv db dns agents

help:
	@echo "Simpul make targets:"
	@echo "  make run          install what is missing, build ($(CONFIG)), start the demo DNS server (named on"
	@echo "                    127.0.0.1:$(DNS_PORT)), create $(DB) with demo data and an admin, then serve http://$(HOST):$(PORT)/"
	@echo "  make test         install what tests need, run all Swift tests, then the browser tests in Tests/e2e"
	@echo "  make bench        benchmark figures from a release build (scripts/bench.sh, scripts/bench_faults.sh)"
	@echo "  make man          manual pages into share/man/"
	@echo "  make completions  bash, zsh and fish completions into share/completions/"
	@echo "  make clean        remove build output, test venv, generated docs"
	@echo "Variables: CONFIG=$(CONFIG) DB=$(DB) HOST=$(HOST) PORT=$(PORT)"

# ---------------------------------------------------------------------------- packages

deps:
	@echo "==> Checking Debian packages for building: $(BUILD_APT)"
	@scripts/apt-ensure.sh $(BUILD_APT)

deps-run:
	@echo "==> Checking Debian packages for running the demo: $(RUN_APT)"
	@scripts/apt-ensure.sh $(RUN_APT)

deps-test:
	@scripts/snmpd-ensure.sh
	@echo "==> Checking Debian packages for testing: $(TEST_APT)"
	@scripts/apt-ensure.sh $(TEST_APT)
	@scripts/named-ensure.sh

# ---------------------------------------------------------------------------- build

build: deps
	@echo "==> Building simpul ($(CONFIG)): swift build -c $(CONFIG)"
	swift build -c $(CONFIG)
	@test -x "$(BIN)" || { echo "error: the build did not produce $(BIN)" >&2; exit 1; }

build-tests: deps-test
	@echo "==> Building simpul and its tests (debug): swift build --build-tests"
	swift build --build-tests

# ---------------------------------------------------------------------------- run

# The demo DNS server: BIND installed without its system service, then a named of our own listening
# on 127.0.0.1:$(DNS_PORT) only (scripts/named-local.sh --keep: a running one is reused, the key and the
# zones with what Simpul pushed are kept in $(DNS_DIR)). Without it Simpul still runs: DNS changes
# are kept and wait, shown with "server unreachable", until `simpul dns push` reaches a server.
dns:
	@echo "==> Starting the demo DNS server: named on 127.0.0.1:$(DNS_PORT), files in $(DNS_DIR)"
	@if scripts/named-ensure.sh && scripts/named-local.sh --keep "$(DNS_DIR)" $(DNS_PORT) $(DNS_ZONES); then \
	    echo "==> named answers on 127.0.0.1:$(DNS_PORT); TSIG key: $(DNS_DIR)/simpul.key"; \
	else \
	    echo "warning: the demo DNS server did not start; Simpul runs without it and DNS changes wait (simpul dns push)" >&2; \
	fi

# Creates the database once: the example district from Inventory/, the playbooks, a demo admin, the
# office's demo people and a month of its work (tickets, hosted servers, addresses). An existing
# database only gets new playbook versions.
# A failure on the way removes the half-made database so the next `make run` starts clean.
db: build
	@if [ -e "$(DB_ABS)" ]; then \
	    echo "==> Using the existing database $(DB_ABS) (delete it to start over with demo data)"; \
	    echo "==> Loading any new playbook versions from Playbooks/"; \
	    $(SIMPUL) playbook import Playbooks/; \
	else \
	    echo "==> Creating $(DB_ABS): importing the example district from Inventory/"; \
	    if ! $(SIMPUL) inventory import Inventory/; then \
	        rm -f "$(DB_ABS)" "$(DB_ABS)-wal" "$(DB_ABS)-shm"; \
	        echo "error: inventory import failed; nothing kept" >&2; exit 1; \
	    fi; \
	    echo "==> Loading the SOP playbooks and the holiday calendar from Playbooks/"; \
	    if ! $(SIMPUL) playbook import Playbooks/; then \
	        rm -f "$(DB_ABS)" "$(DB_ABS)-wal" "$(DB_ABS)-shm"; \
	        echo "error: playbook import failed; nothing kept" >&2; exit 1; \
	    fi; \
	    echo "==> Creating the demo admin '$(DEMO_USER)'"; \
	    if ! out="$$($(SIMPUL) user add $(DEMO_USER) --role admin --name "Admin Demo" --generate-password)"; then \
	        rm -f "$(DB_ABS)" "$(DB_ABS)-wal" "$(DB_ABS)-shm"; \
	        echo "error: creating the demo admin failed; database removed" >&2; exit 1; \
	    fi; \
	    pw="$$(printf '%s\n' "$$out" | sed -n 's/^password: *//p' | head -n 1)"; \
	    if [ -z "$$pw" ]; then \
	        rm -f "$(DB_ABS)" "$(DB_ABS)-wal" "$(DB_ABS)-shm"; \
	        echo "error: 'simpul user add --generate-password' printed no 'password: ...' line; database removed" >&2; exit 1; \
	    fi; \
	    echo "==> Adding the office's demo people and a month of its work: tickets, hosted servers, addresses (simpul demo seed)"; \
	    if ! seeded="$$($(SIMPUL) demo seed)"; then \
	        rm -f "$(DB_ABS)" "$(DB_ABS)-wal" "$(DB_ABS)-shm"; \
	        echo "error: simpul demo seed failed; database removed" >&2; exit 1; \
	    fi; \
	    people="$$(printf '%s\n' "$$seeded" | grep -E '^[a-z0-9._-]+: [^ ]+$$' || true)"; \
	    printf '%s\n' "$$seeded" | grep -Ev '^[a-z0-9._-]+: [^ ]+$$' | sed 's/^/    /' || true; \
	    rm -f "$(CREDS)"; \
	    ( umask 077; printf 'username: %s\npassword: %s\n\nOther demo users (username: password):\n%s\n' "$(DEMO_USER)" "$$pw" \
	        "$$(printf '%s\n' "$$people" | sed 's/^/  /')" > "$(CREDS)" ); \
	    chmod 600 "$(CREDS)"; \
	    echo "==> Demo credentials saved in $(CREDS) (mode 600, not committed)"; \
	fi

# The demo's live links: agents for every device with SNMP, answering on loopback only. Without them
# Simpul still runs: the links show "unknown" and the poller page says why.
agents: db
	@scripts/snmpd-ensure.sh && scripts/apt-ensure.sh python3-venv || echo "warning: snmpd or python3-venv could not be installed" >&2
	@if [ ! -x "$(DEMO_VENV)/bin/python" ]; then $(PYTHON) -m venv "$(DEMO_VENV)" || true; fi
	@if ! "$(DEMO_VENV)/bin/python" -c 'import snmpsim, pysmi' 2>/dev/null; then \
	    echo "==> Installing snmpsim into $(DEMO_VENV)/ (the demo's simulated routers)"; \
	    "$(DEMO_VENV)/bin/python" -m pip install -q --disable-pip-version-check $(DEMO_PY) || true; \
	fi
	@echo "==> Starting the demo's SNMP agents on loopback (scripts/demo-agents.sh start)"
	@SIMPUL="$(BIN)" SIMPUL_DB="$(DB_ABS)" DEMO_SNMP_DIR="$(DEMO_SNMP)" DEMO_PYTHON="$(abspath $(DEMO_VENV))/bin/python" scripts/demo-agents.sh start \
	    || echo "warning: the demo's SNMP agents did not start; links show unknown (see $(DEMO_SNMP)/*.log)" >&2

run: deps-run dns db agents
	@if [ -s "$(DNS_DIR)/named.pid" ] && kill -0 "$$(cat "$(DNS_DIR)/named.pid")" 2>/dev/null; then \
	    echo "==> Pushing DNS changes that wait, then comparing each zone with the server (simpul dns push; simpul dns check --fix)"; \
	    $(SIMPUL) dns push || echo "warning: some DNS changes still wait; see simpul dns zones" >&2; \
	    $(SIMPUL) dns check --fix || echo "warning: the DNS server and the inventory differ; see simpul dns check" >&2; \
	fi
	@echo
	@echo "==> Simpul is starting at http://$(HOST):$(PORT)/"
	@if [ -r "$(CREDS)" ]; then \
	    echo "==> Demo login ($(CREDS)):"; sed 's/^/      /' "$(CREDS)"; \
	else \
	    echo "==> No $(CREDS) here: log in with an account you made (simpul user add ...)"; \
	fi
	@echo "==> Database: $(DB_ABS). DNS: 127.0.0.1:$(DNS_PORT), key $(DNS_DIR)/simpul.key. Stop with Ctrl-C (named stops too)."
	@echo "==> The CLI on the same data: export SIMPUL_DB=$(DB_ABS) SIMPUL_TSIG_KEY=$(DNS_DIR)/simpul.key SIMPUL_PROBE_ALLOW=$(SIMPUL_PROBE_ALLOW); $(BIN) --help"
	@echo
	@echo "==> Links are polled every $(POLL_EVERY) (simpul serve --poll-every). Take a link down: SIMPUL=$(BIN) SIMPUL_DB=$(DB_ABS) \\"
	@echo "      DEMO_SNMP_DIR=$(DEMO_SNMP) DEMO_PYTHON=$(abspath $(DEMO_VENV))/bin/python scripts/demo-agents.sh down rtr-setda   (up: ... up)"
	@echo
	@trap 'if [ -s "$(DNS_DIR)/named.pid" ]; then kill "$$(cat "$(DNS_DIR)/named.pid")" 2>/dev/null || true; fi; \
	       SIMPUL="$(BIN)" SIMPUL_DB="$(DB_ABS)" DEMO_SNMP_DIR="$(DEMO_SNMP)" DEMO_PYTHON=python3 scripts/demo-agents.sh stop 2>/dev/null || true' EXIT; \
	env SIMPUL_DB="$(DB_ABS)" SIMPUL_TSIG_KEY="$(DNS_DIR)/simpul.key" SIMPUL_SNMP_CREDENTIALS="$(DEMO_SNMP)/credentials.yaml" \
	    "$(BIN)" serve --host $(HOST) --port $(PORT) --poll-every $(POLL_EVERY)

# ---------------------------------------------------------------------------- test

venv: deps-test
	@if [ -e "$(VENV)" ] && ! "$(VENV)/bin/python" -c '' 2>/dev/null; then \
	    echo "==> The test venv $(VENV)/ is broken; making it again"; rm -rf "$(VENV)"; \
	fi
	@if [ ! -x "$(VENV)/bin/python" ]; then \
	    echo "==> Creating the test venv $(VENV)/ with $$(command -v $(PYTHON))"; \
	    $(PYTHON) -m venv "$(VENV)"; \
	fi
	@if ! "$(VENV)/bin/python" -c 'import selenium, pytest, aiosmtpd, snmpsim, pysmi' 2>/dev/null; then \
	    echo "==> Installing selenium, pytest and aiosmtpd into $(VENV)/"; \
	    "$(VENV)/bin/python" -m pip install -q --disable-pip-version-check $(TEST_PY); \
	else \
	    echo "==> Test venv ready: $(VENV)/ (selenium, pytest, aiosmtpd)"; \
	fi

# The unit check and both suites always run; the target fails if any failed.
test: venv build-tests
	@echo "==> Checking the systemd units: scripts/check-units.sh"
	@units_rc=0; scripts/check-units.sh || units_rc=$$?; \
	echo "==> Fuzzing the capture decoder for $${FUZZ_SECONDS:-60}s: scripts/fuzz-capture.sh"; \
	fuzz_rc=0; scripts/fuzz-capture.sh || fuzz_rc=$$?; \
	echo "==> Running the Swift tests: swift test"; \
	swift_rc=0; swift test || swift_rc=$$?; \
	echo "==> Building the release binary that make run serves (the browser tests run against it): swift build -c release --product simpul"; \
	e2e_rc=0; swift build -c release --product simpul || e2e_rc=$$?; \
	if [ "$$e2e_rc" -eq 0 ]; then \
	    echo "==> Running the end-to-end tests: SIMPUL_BIN=.build/release/simpul $(VENV)/bin/python -m pytest -q Tests/e2e"; \
	    SIMPUL_BIN="$(CURDIR)/.build/release/simpul" "$(VENV)/bin/python" -m pytest -q Tests/e2e || e2e_rc=$$?; \
	fi; \
	echo "==> systemd units: $$units_rc; decoder fuzzing: $$fuzz_rc; swift test exit code: $$swift_rc; end-to-end tests exit code: $$e2e_rc"; \
	if [ "$$units_rc" -ne 0 ] || [ "$$fuzz_rc" -ne 0 ] || [ "$$swift_rc" -ne 0 ] || [ "$$e2e_rc" -ne 0 ]; then \
	    echo "==> make test FAILED" >&2; exit 1; \
	fi; \
	echo "==> make test passed"

# ---------------------------------------------------------------------------- bench, docs

bench: CONFIG := release
bench: BIN := $(CURDIR)/.build/release/simpul
bench: build venv
	@echo "==> Installing benchmark tools if missing: $(BENCH_APT)"
	@scripts/apt-ensure.sh $(BENCH_APT)
	@echo "==> Running scripts/bench.sh against $(BIN)"
	SIMPUL_BIN="$(BIN)" scripts/bench.sh
	@echo "==> Running scripts/bench_faults.sh against $(BIN) (fault dispatch: API to SMTP, the sweep, the provider report)"
	SIMPUL_BIN="$(BIN)" PYTHON_SMTP="$(CURDIR)/$(VENV)/bin/python" scripts/bench_faults.sh
	@echo "==> Running scripts/bench_poll.sh against $(BIN) (link health: simpul poll over 500 devices x 48 interfaces beside snmp_exporter)"
	SIMPUL_BIN="$(BIN)" PYTHON_SNMPSIM="$(CURDIR)/$(VENV)/bin/python" scripts/bench_poll.sh
	@echo "==> Running scripts/bench_lan.sh against $(BIN) (LAN: the upkeep plan for 1,000 agencies, a letter to PDF)"
	SIMPUL_BIN="$(BIN)" scripts/bench_lan.sh
	@echo "==> Running scripts/bench_survey.sh against $(BIN) (surveys: pcap attribution beside a C pcap_next_ex loop, live capture on a veth pair, the report)"
	SIMPUL_BIN="$(BIN)" scripts/bench_survey.sh

man: deps
	@echo "==> Generating manual pages (swift package plugin generate-manual, $(CONFIG))"
	rm -rf .build/plugins/GenerateManual
	swift package plugin --allow-writing-to-package-directory generate-manual --configuration $(CONFIG)
	@mkdir -p share/man/man1
	@pages="$$(find .build/plugins -path '*GenerateManual*' -name '*.1' 2>/dev/null || true)"; \
	[ -n "$$pages" ] || { echo "error: generate-manual produced no .1 pages under .build/plugins" >&2; exit 1; }; \
	rm -f share/man/man1/*.1; cp $$pages share/man/man1/; \
	echo "==> Manual pages in share/man/man1/:"; ls share/man/man1/

completions: build
	@echo "==> Generating shell completions into share/completions/"
	@mkdir -p share/completions
	"$(BIN)" --generate-completion-script bash > share/completions/simpul.bash
	"$(BIN)" --generate-completion-script zsh  > share/completions/_simpul
	"$(BIN)" --generate-completion-script fish > share/completions/simpul.fish
	@ls share/completions/

clean:
	@echo "==> Removing build output, the test venv and generated docs (keeps $(DB) and $(CREDS))"
	rm -rf .build $(VENV) share/man share/completions
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
