# The quick start wraps CMake: `make demo` (install what is missing, build, index the bundled
# corpus, run a sample search) and `make test` (install what is missing, build, run ctest).
BUILD     ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
PREFIX    ?= /usr/local
JOBS      ?= $(shell nproc 2>/dev/null || echo 2)
DEMO_INDEX ?= $(BUILD)/demo-index
DEMO_QUERY ?= sextortion dual criminality

# Debian packages the build, the tests and the demo need.
DEB_PACKAGES = cmake make gcc g++ pkg-config libxapian-dev xapian-tools libicu-dev \
               libutf8proc-dev libjansson-dev unicode-data python3
SUDO = $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all build deps demo test asan tsan install eval clean

all: build

# Install only what is missing (dpkg-query tells); apt-get update first when anything is.
deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	    echo "installing:$$missing"; \
	    $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	fi

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX)

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

demo: deps
	$(MAKE) build
	rm -rf $(DEMO_INDEX)
	$(BUILD)/lanzsearch index --index $(DEMO_INDEX) corpus
	$(BUILD)/lanzsearch search --index $(DEMO_INDEX) -n 5 $(DEMO_QUERY)

test: deps
	$(MAKE) build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer; leaks fail.
asan: deps
	cmake -S . -B $(ASAN_BUILD) -DLZ_SANITIZE=address,undefined -DCMAKE_BUILD_TYPE=Debug
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    ctest --output-on-failure -j $(JOBS)

# The threading test (4 searchers while another process re-indexes) under ThreadSanitizer; any
# report fails it. Only our code is instrumented (Xapian, ICU, libstdc++ are not), so races
# inside those libraries go unseen; no suppressions are needed.
tsan: deps
	cmake -S . -B $(TSAN_BUILD) -DLZ_SANITIZE=thread -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(TSAN_BUILD) -j $(JOBS) --target test_threads
	cd $(TSAN_BUILD) && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
	    ctest --output-on-failure -R '^test_threads$$'

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

# Ranking quality on the judged dev queries (needs ../shared/eval beside the checkout).
eval: build
	python3 bench/eval.py --lanzsearch $(BUILD)/lanzsearch

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
