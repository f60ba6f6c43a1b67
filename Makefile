# The two commands: `make run` and `make test`. Each installs what is missing first.
PRESET  ?= dev
BUILD   := build/$(PRESET)
JOBS    ?= $(shell nproc)
DEMO_DB ?= build/demo/showroom.db
SHOWROOM := $(BUILD)/tools/showroom

.PHONY: all deps configure build test run demo bench check-contract format clean

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build --preset $(PRESET) -j $(JOBS)

test: build
	@ctest --preset $(PRESET)

# Until the kiosk lands, `make run` seeds the demo store and prints its summary.
run: build
	@mkdir -p $(dir $(DEMO_DB))
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	@$(SHOWROOM) --db $(DEMO_DB) demo seed --vehicles 400 --seed 7
	@$(SHOWROOM) --db $(DEMO_DB) demo summary

bench:
	@$(MAKE) --no-print-directory PRESET=release build
	@build/release/bench/inventory_bench

check-contract: build
	@python3 ../shared/checks/cli_contract.py $(SHOWROOM)

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	@rm -rf build
