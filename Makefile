# The two commands: `make run` and `make test` (see README.md).
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
# Tests mostly wait (on SIP peers, timers, browsers): a suite run used about a third of
# one core at -j2, so ctest runs twice as many as there are cores.
TEST_JOBS ?= $(shell echo $$(( $$(nproc) * 2 )))
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Release
ASAN_DIR ?= build-asan
# Sanitized binaries use two to three times the CPU: one suite per core, so that their
# timers and SIP retransmissions keep the pace the tests expect on a busy machine.
ASAN_TEST_JOBS ?= $(JOBS)
FUZZ_DIR ?= build-fuzz
# The network-facing suites, run again on an AddressSanitizer + UBSan build.
ASAN_TESTS = unicc_sip_tests unicc_sip_server_tests unicc_media_tests unicc_media_prompt_tests unicc_http_server_tests
FUZZ_SECONDS ?= 60

.PHONY: all deps build run test asan-test fuzz clean

all: build

deps:
	scripts/install-deps

build: deps
	cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS)
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	$(BUILD_DIR)/unicc serve --demo

test: build asan-test
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(TEST_JOBS) --timeout 600

asan-test: deps
	cmake -S . -B $(ASAN_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DUNICC_SANITIZE=ON
	cmake --build $(ASAN_DIR) -j $(JOBS) --target unicc $(ASAN_TESTS)
	cd $(ASAN_DIR) && ctest --output-on-failure -j $(ASAN_TEST_JOBS) --timeout 600 -R "^(sip_sipp|sip_ivr|sip_acd_routing|sip_acd_waiting|sip_cti|sip_click_to_dial|sip_call_attack|security_https|$(shell echo $(ASAN_TESTS) | tr ' ' '|'))$$"

# libFuzzer targets (clang, ASan+UBSan), each run for FUZZ_SECONDS; not part of `make test`.
fuzz: deps
	CXX=clang++ cmake -S . -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DUNICC_FUZZ=ON -DUNICC_TESTS=OFF
	cmake --build $(FUZZ_DIR) -j $(JOBS) --target fuzzers
	tests/fuzz/run-all $(FUZZ_DIR) $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(FUZZ_DIR) web/dist
