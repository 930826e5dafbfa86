# Tongban (通办) — the runtime of Shanghai's community-center self-service terminals.
#   make run    install what is missing, build, start the kiosk on simulated devices
#               (bin/kiosk-sim: built with -tags sim, with an in-process back office)
#   make test   install what is missing, vet, lint, run every test and the Xvfb smoke test

SHELL := /bin/bash
GO ?= go
BIN := bin
DATA ?= $(CURDIR)/.tongban-data
# Debian packages: cgo X11/GL headers for Fyne, a virtual display for tests,
# system CJK fonts for rare characters in names, PostgreSQL for store tests,
# espeak-ng (voice guidance), sox (its tests read the WAVs), alsa-utils
# (aplay, the sound card), libasound2-dev (ALSA headers), Chromium for the
# back-office console's browser test, strace (the tests that check a file
# is fsynced before it is renamed into place: internal/durable/durabletest),
# fuse3 (fusermount3) for the power-cut loops' FUSE file system; CUPS
# (cups, cups-client, printer-driver-cups-pdf: the A4 printer's scheduler and
# a virtual PDF queue) and poppler-utils (pdftotext, pdftoppm) for A4 tests; fonts-droid-fallback and
# fonts-dejavu-core: TrueType faces the back office sets documents in; swtpm
# and swtpm-tools: a software TPM 2.0 for kiosk/keystore's sealing tests.
DEB_PKGS := gcc libgl1-mesa-dev xorg-dev libxkbcommon-dev xvfb xauth fonts-noto-cjk postgresql espeak-ng sox alsa-utils libasound2-dev chromium strace fuse3 cups cups-client printer-driver-cups-pdf poppler-utils fonts-droid-fallback fonts-dejavu-core swtpm swtpm-tools
STAMP := $(BIN)/.deps-installed

.PHONY: run test deps build vet lint unit smoke fuzz crash-long bench bench-city deb image image-deps image-test clean console-shots

$(STAMP): Makefile
	@mkdir -p $(BIN)
	@missing=$$(for p in $(DEB_PKGS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing: $$missing"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
	@command -v $(GO) >/dev/null || { echo "Go 1.26.8 or newer is needed: see README.md"; exit 1; }
	@touch $@

deps: $(STAMP)

# bin/kiosk is what a terminal runs: real devices, the enrolled back office,
# no simulators and no back-office store linked. bin/kiosk-sim adds them
# (-tags sim) for make run and the smoke test.
build: deps
	$(GO) build -o $(BIN)/ ./cmd/...
	$(GO) build -tags sim -o $(BIN)/kiosk-sim ./cmd/kiosk

run: build
	$(BIN)/kiosk-sim -data "$(DATA)" -simulate -windowed

vet: deps
	$(GO) vet ./...
	$(GO) vet -tags sim ./cmd/kiosk

# staticcheck and goimports at fixed versions, run from the Go module proxy
# through `go run` so nothing is installed globally. goimports lists the
# files it would change; any listed file fails the target.
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
GOIMPORTS := golang.org/x/tools/cmd/goimports@v0.52.0
lint: deps
	$(GO) run $(STATICCHECK) ./...
	$(GO) run $(STATICCHECK) -tags sim ./cmd/kiosk ./kiosk/simulation
	@out=$$($(GO) run $(GOIMPORTS) -l .); \
	if [ -n "$$out" ]; then echo "goimports would change:"; echo "$$out"; exit 1; fi

# The back office's store tests also run against PostgreSQL when the
# machine's cluster can be started (as root); otherwise they skip, loudly.
# The console's browser test drives Debian's Chromium (installed above);
# TONGBAN_REQUIRE_BROWSER makes it fail rather than skip without one.
# The power-cut loops (internal/powercut, 50 cuts per target here) need
# root and /dev/fuse; TONGBAN_REQUIRE_FUSE makes them fail rather than
# skip without. The A4 printer's tests start a private CUPS scheduler
# (devices/ipp/cupstest); TONGBAN_REQUIRE_CUPS makes them fail rather than
# skip without one. Each prints one line at the end, as does each store
# engine's run of the network and server faults (kiosk/uplink). The TPM
# sealing tests start swtpm (one per package, kiosk/keystore/keystoretest);
# TONGBAN_REQUIRE_SWTPM makes them fail rather than skip without it.
POWERCUT_PKGS := ./internal/powercut ./kiosk/outbox ./kiosk/audit ./kiosk/terminal ./kiosk/provision
# The kill loops (kiosk/terminal TestKillDuringVisit) print one line too.
unit: deps
	@rm -f $(BIN)/powercut-unit.tsv $(BIN)/kills-unit.txt $(BIN)/faults-unit.txt
	TONGBAN_PG_DSN="$$(./scripts/pg-test-db.sh)" TONGBAN_REQUIRE_BROWSER=1 TONGBAN_REQUIRE_FUSE=1 TONGBAN_REQUIRE_CUPS=1 TONGBAN_REQUIRE_SWTPM=1 \
	TONGBAN_KILL_REPORT=$(CURDIR)/$(BIN)/kills-unit.txt TONGBAN_FAULTS_REPORT=$(CURDIR)/$(BIN)/faults-unit.txt \
	TONGBAN_POWERCUT_REPORT=$(CURDIR)/$(BIN)/powercut-unit.tsv $(GO) test -count=1 -timeout 20m ./...; \
	status=$$?; cat $(BIN)/faults-unit.txt 2>/dev/null; ./scripts/powercut-table.sh short $(BIN)/powercut-unit.tsv; \
	cat $(BIN)/kills-unit.txt 2>/dev/null; exit $$status

# Screenshots of every console page, both languages, PC and tablet sizes.
console-shots: deps
	$(GO) test -count=1 -run TestBrowser ./backoffice/console -shots $(CURDIR)/$(BIN)/console-screens

smoke: build
	$(GO) test -count=1 -tags smoke -run TestSmoke -timeout 5m ./cmd/kiosk -kiosk=$(CURDIR)/$(BIN)/kiosk-sim

test: vet lint unit smoke

fuzz: deps
	./scripts/fuzz-all.sh 20s

# Kill -9 loops (the queue; the whole kiosk at each step of a visit),
# 1,000 network and server faults per store engine (one line each), then
# 1,000 power cuts per target, ending with the table.
crash-long: deps
	$(GO) test -count=1 -run TestCrash -timeout 60m ./kiosk/outbox -crash.cycles=500
	@rm -f $(BIN)/kills-long.txt
	TONGBAN_KILL_REPORT=$(CURDIR)/$(BIN)/kills-long.txt \
	$(GO) test -count=1 -run TestKillDuringVisit -timeout 60m ./kiosk/terminal -kill.cycles=100; \
	status=$$?; cat $(BIN)/kills-long.txt 2>/dev/null; exit $$status
	@rm -f $(BIN)/faults-long.txt
	TONGBAN_PG_DSN="$$(./scripts/pg-test-db.sh)" TONGBAN_FAULTS_REPORT=$(CURDIR)/$(BIN)/faults-long.txt \
	$(GO) test -count=1 -run TestNetworkFaults -timeout 60m ./kiosk/uplink -faults.n=1000; \
	status=$$?; cat $(BIN)/faults-long.txt 2>/dev/null; exit $$status
	@rm -f $(BIN)/powercut-long.tsv
	TONGBAN_REQUIRE_FUSE=1 TONGBAN_POWERCUT_REPORT=$(CURDIR)/$(BIN)/powercut-long.tsv \
	$(GO) test -count=1 -run 'TestPowerCut|TestBoltUnderPowerCuts' -timeout 180m $(POWERCUT_PKGS) -powercut.cycles=1000; \
	status=$$?; ./scripts/powercut-table.sh $(BIN)/powercut-long.tsv; exit $$status

# The budgets of DESIGN.md §7 as a table: figure, budget, ratio.
bench: deps
	$(GO) run ./cmd/kioskctl bench

# A city's load: 2,000 terminals (uplink clients, mutual TLS) against one
# back office on PostgreSQL on loopback, about a minute clean and a minute
# with 5% of connections reset; a table per run. CITY="-city.speedup=20"
# etc. changes the plan (see internal/cityload).
bench-city: deps
	TONGBAN_PG_DSN="$$(./scripts/pg-test-db.sh)" $(GO) test -count=1 -run '^$$' -bench '^BenchmarkCity$$' -benchtime 1x \
	  -timeout 15m ./internal/cityload $(CITY)

# A .deb for a terminal (binaries, systemd units, udev rules, example
# configuration), built with nfpm from the Go module proxy. Its time stamps
# are SOURCE_DATE_EPOCH's (the last commit's time unless set), so that the
# same binaries pack to the same bytes.
NFPM := github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.45.2
deb: build
	SOURCE_DATE_EPOCH=$${SOURCE_DATE_EPOCH:-$$(git log -1 --format=%ct)} \
	TONGBAN_VERSION=$${TONGBAN_VERSION:-0.1.0} $(GO) run $(NFPM) pkg --config packaging/nfpm.yaml --packager deb --target $(BIN)/

# The terminal's bootable disk image (UEFI, raw; dd it to a USB stick or the
# terminal's disk) and its test in QEMU: minutes each, not part of make test.
# As root: mmdebstrap, file systems and partition tables (see README.md).
IMAGE_PKGS := mmdebstrap systemd-boot-efi dosfstools mtools fdisk e2fsprogs faketime python3 openssl qemu-system-x86 ovmf netpbm
IMAGE := $(BIN)/tongban-terminal.img
image-deps: deps
	@missing=$$(for p in $(IMAGE_PKGS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "installing: $$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; fi
image: image-deps deb
	scripts/image/build.sh $(BIN)/tongban-kiosk_$${TONGBAN_VERSION:-0.1.0}_amd64.deb $(IMAGE)
image-test: image-deps build
	@[ -f $(IMAGE) ] || { echo "no $(IMAGE): run make image first"; exit 1; }
	scripts/image/test.sh $(IMAGE) $(BIN) $(BIN)/image-test
# Packs the .deb again and builds the image twice from it, then compares:
# byte-identical, or the differing ranges by partition (twice make image's time).
.PHONY: image-repro
image-repro: image-deps deb
	NFPM=$(NFPM) scripts/image/repro.sh $(BIN)/tongban-kiosk_$${TONGBAN_VERSION:-0.1.0}_amd64.deb $(BIN)/image-repro
# Installs the image on a larger disk as the technician's install screen
# does, and boots that disk to the first-boot screen (about 4 min).
.PHONY: image-install-test
image-install-test: image-deps build
	@[ -f $(IMAGE) ] || { echo "no $(IMAGE): run make image first"; exit 1; }
	scripts/image/install-test.sh $(IMAGE) $(BIN)/kioskctl $(BIN)/image-test

clean:
	rm -rf $(BIN) .tongban-data
