# The two commands: `make run` and `make test`. Each installs what is missing first.
PRESET  ?= dev
BUILD   := build/$(PRESET)
JOBS    ?= $(shell nproc)
DEMO_DB ?= build/demo/showroom.db
SHOWROOM := $(BUILD)/tools/showroom

.PHONY: all deps configure build test run demo bench fuzz check-contract format clean

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build --preset $(PRESET) -j $(JOBS)

test: build
	@ctest --preset $(PRESET)

# Seeds the demo dealership, prints its summary and starts the kiosk on it (windowed for
# development; KIOSK_FLAGS= for the locked full-screen kiosk). Without a display it says so.
KIOSK := $(BUILD)/kiosk/showroom-kiosk
KIOSK_FLAGS ?= --windowed
run: build
	@mkdir -p $(dir $(DEMO_DB))
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	@$(SHOWROOM) --db $(DEMO_DB) demo seed --vehicles 400 --seed 7
	@$(SHOWROOM) --db $(DEMO_DB) demo summary
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		$(KIOSK) --db $(DEMO_DB) $(KIOSK_FLAGS); \
	else \
		echo "No display here: on the kiosk's screen run '$(KIOSK) --db $(DEMO_DB)'"; \
		echo "(or headless: $(KIOSK) --headless --db $(DEMO_DB) --script tests/e2e/scripts/book_test_drive.script --screenshots build/shots)"; \
	fi

bench:
	@$(MAKE) --no-print-directory PRESET=release build
	@build/release/bench/inventory_bench
	@build/release/bench/network_stock_bench
	@build/release/bench/report_bench
	@build/release/bench/hq_report_bench
	@build/release/bench/contract_bench
	@build/release/bench/print_bench
	@build/release/bench/wedge_scan_bench
	@umockdev-wrapper build/release/bench/usb_scan_bench
	@build/release/bench/scan_decode_bench
	@tests/sync/with_postgres.sh build/release/bench/sync_bench

# libFuzzer on what scanners hand to core (licence payloads, VIN labels), for FUZZ_SECONDS.
FUZZ_SECONDS ?= 60
fuzz: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS) --target scan_payload_fuzzer scan_payload_fuzz_replay
	@build/fuzz/tests/scan_payload_fuzz_replay --write-seeds build/fuzz/corpus
	@build/fuzz/tests/scan_payload_fuzzer -max_total_time=$(FUZZ_SECONDS) build/fuzz/corpus

check-contract: build
	@python3 ../shared/checks/cli_contract.py $(SHOWROOM)

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	@rm -rf build
