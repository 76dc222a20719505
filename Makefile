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
# And those `make bench` adds: SQLite FTS5 (the peer), its shell, gnuplot for the plot.
BENCH_PACKAGES = libsqlite3-dev sqlite3 gnuplot-nox
# Benchmark corpora and indexes (large: the 1 GB run needs about 15 GB) stay in the build tree;
# the tables and the plot go to bench/results.
BENCH_DATA ?= $(BUILD)/bench-data
BENCH_SIZES ?= 10
SUDO = $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all build deps demo test asan tsan install eval clean fuzz valgrind bench bench-full

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

# The threading tests under ThreadSanitizer: 4 searchers while another process re-indexes
# (test_threads), and indexing runs that build on a second thread (test_api); any report fails
# them. Only our code is instrumented (Xapian, ICU, libstdc++ are not), so races
# inside those libraries go unseen; no suppressions are needed.
tsan: deps
	cmake -S . -B $(TSAN_BUILD) -DLZ_SANITIZE=thread -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(TSAN_BUILD) -j $(JOBS) --target test_threads test_api
	cd $(TSAN_BUILD) && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
	    ctest --output-on-failure -R '^(test_threads|test_api)$$'

# libFuzzer with ASan + UBSan (clang): each target of tests/fuzz/ runs FUZZ_TIME seconds from its
# seeds and dictionary (new inputs go to $(FUZZ_BUILD)/fuzz-corpus/, crashes to
# $(FUZZ_BUILD)/fuzz-artifacts/), then ctest replays the seeds. A crash fails the target: keep
# the input as a seed under tests/fuzz/corpus/<target>/ and say what it found in the README there.
FUZZ_BUILD ?= build-fuzz
FUZZ_TIME ?= 60
FUZZ_TARGETS = parse text query
fuzz: deps
	@$(MAKE) --no-print-directory deps DEB_PACKAGES="clang libclang-rt-14-dev"
	cmake -S . -B $(FUZZ_BUILD) -DLZ_FUZZ=ON -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target $(foreach t,$(FUZZ_TARGETS),fuzz_$(t) fuzz_$(t)_replay)
	@mkdir -p $(FUZZ_BUILD)/fuzz-artifacts
	@for t in $(FUZZ_TARGETS); do \
	    mkdir -p $(FUZZ_BUILD)/fuzz-corpus/$$t; \
	    echo "fuzz_$$t: $(FUZZ_TIME) s (log: $(FUZZ_BUILD)/fuzz-$$t.log)"; \
	    LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	    $(FUZZ_BUILD)/tests/fuzz/fuzz_$$t -max_total_time=$(FUZZ_TIME) -timeout=20 \
	        -rss_limit_mb=4096 -print_final_stats=1 -dict=tests/fuzz/$$t.dict \
	        -artifact_prefix=$(FUZZ_BUILD)/fuzz-artifacts/$$t- \
	        $(FUZZ_BUILD)/fuzz-corpus/$$t tests/fuzz/corpus/$$t >$(FUZZ_BUILD)/fuzz-$$t.log 2>&1 \
	        || { tail -n 60 $(FUZZ_BUILD)/fuzz-$$t.log; exit 1; }; \
	    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' $(FUZZ_BUILD)/fuzz-$$t.log; \
	done
	cd $(FUZZ_BUILD) && ctest --output-on-failure -L fuzz

# One end-to-end index + search under valgrind memcheck: any error or definite leak fails.
valgrind: build
	@$(MAKE) --no-print-directory deps DEB_PACKAGES=valgrind
	bash tests/tools/valgrind.sh $(BUILD)/lanzsearch

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

# Ranking quality on the judged dev queries (needs ../shared/eval beside the checkout).
eval: build
	python3 bench/eval.py --lanzsearch $(BUILD)/lanzsearch
	python3 bench/similar.py --lanzsearch $(BUILD)/lanzsearch

# lanzsearch beside SQLite FTS5 in one run (bench/bench.c) on deterministic synthetic corpora
# (bench/gen_corpus.c) of BENCH_SIZES MB: prints the side-by-side table, writes
# bench/results/bench-<N>mb.tsv and the plot bench/results/bench.png. `make bench`: 10 MB, a
# minute or two; `make bench-full`: 10, 100 and 1000 MB (the last takes hours).
bench:
	$(MAKE) deps DEB_PACKAGES="$(DEB_PACKAGES) $(BENCH_PACKAGES)"
	cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX) -DLZ_BUILD_BENCH=ON
	cmake --build $(BUILD) -j $(JOBS) --target lanzsearch gen_corpus bench
	@mkdir -p bench/results $(BENCH_DATA)
	@set -e; for mb in $(BENCH_SIZES); do \
	    rm -rf $(BENCH_DATA)/corpus-$$mb; \
	    $(BUILD)/bench/gen_corpus --size-mb $$mb --out $(BENCH_DATA)/corpus-$$mb \
	        --queries $(BENCH_DATA)/queries-$$mb.txt --stopwords stopwords/english.txt; \
	    $(BUILD)/bench/bench --corpus $(BENCH_DATA)/corpus-$$mb \
	        --queries $(BENCH_DATA)/queries-$$mb.txt --work $(BENCH_DATA)/work-$$mb \
	        --lanzsearch $(BUILD)/lanzsearch --label "$$mb MB" \
	        --tsv bench/results/bench-$${mb}mb.tsv; \
	done
	gnuplot -e "dir='bench/results'" bench/plot.gp
	@echo "bench: tables in bench/results/bench-*mb.tsv, plot in bench/results/bench.png"

bench-full:
	$(MAKE) bench BENCH_SIZES="10 100 1000"

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
