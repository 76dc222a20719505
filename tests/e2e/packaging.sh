#!/usr/bin/env bash
# Packaging, end to end: install the build into a temporary prefix and check what a user gets:
# the files, the shared library's exports (the header's lz_ functions, nothing else), soname and
# rpath, the header alone as C11 and C++; then build programs outside the tree from the
# installed files only (examples/ and the README's program) with pkg-config (shared and static)
# and with find_package(lanzsearch), and run them on the installed bundled corpus. Needs
# LZ_SOURCE_DIR and LZ_BUILD_DIR (set by ctest).
set -u
SRC=${LZ_SOURCE_DIR:?}
BLD=${LZ_BUILD_DIR:?}
. "$(dirname "${BASH_SOURCE[0]}")/common.bash"
P="$T/prefix"


cache() { sed -n "s/^$1:[A-Z]*=//p" "$BLD/CMakeCache.txt"; }
LIB=$(cache CMAKE_INSTALL_LIBDIR)
SHARED=$(cache BUILD_SHARED_LIBS)
SAN=$(cache LZ_SANITIZE)
MAJOR=$(sed -n 's/^#define LZ_VERSION_MAJOR \([0-9]*\)$/\1/p' "$SRC/include/lanzsearch.h")
MINOR=$(sed -n 's/^#define LZ_VERSION_MINOR \([0-9]*\)$/\1/p' "$SRC/include/lanzsearch.h")
PATCH=$(sed -n 's/^#define LZ_VERSION_PATCH \([0-9]*\)$/\1/p' "$SRC/include/lanzsearch.h")
VERSION="$MAJOR.$MINOR.$PATCH"
# a sanitized build installs sanitized libraries: their users link the same runtime
CFLAGS="-std=c11 -Wall -Wextra -Werror${SAN:+ -fsanitize=$SAN}"
CC=${CC:-cc}
CORPUS="$P/share/lanzsearch/corpus"

# --- install -----------------------------------------------------------------------------------
run cmake --install "$BLD" --prefix "$P"
check "cmake --install ($err)" test "$rc" = 0
for f in bin/lanzsearch include/lanzsearch.h "$LIB/liblanzsearch.a" \
         "$LIB/pkgconfig/lanzsearch.pc" "$LIB/cmake/lanzsearch/lanzsearchConfig.cmake" \
         "$LIB/cmake/lanzsearch/lanzsearchConfigVersion.cmake" share/man/man1/lanzsearch.1 \
         share/man/man3/lanzsearch.3 share/lanzsearch/stopwords/english.txt; do
    check "installed $f" test -s "$P/$f"
done
check "installed corpus matches SHA256SUMS" \
    sh -c "cd '$CORPUS' && sha256sum --quiet -c SHA256SUMS"
if command -v groff >/dev/null; then
    check "man pages render without warnings" \
        test -z "$(groff -man -ww -z "$P/share/man/man1/lanzsearch.1" \
                   "$P/share/man/man3/lanzsearch.3" 2>&1)"
fi

# --- the shared library: exports, soname, no rpath ---------------------------------------------
SO="$P/$LIB/liblanzsearch.so"
if [ "$SHARED" = ON ]; then
    check "liblanzsearch.so -> .so.$MAJOR -> .so.$VERSION" \
        test "$(readlink "$SO")" = "liblanzsearch.so.$MAJOR" -a \
             "$(readlink "$SO.$MAJOR")" = "liblanzsearch.so.$VERSION"
    nm -D --defined-only "$SO" | awk '{print $3}' | sort >"$T/exported"
    sed -n 's/^LZ_EXTERN [^(]*[ *]\(lz_[a-z0-9_]*\)(.*/\1/p' "$SRC/include/lanzsearch.h" |
        sort >"$T/declared"
    check "exports only lz_ symbols: $(grep -v '^lz_' "$T/exported" | head -3 | tr '\n' ' ')" \
        test -z "$(grep -v '^lz_' "$T/exported")"
    check "exports exactly the header's functions: $(comm -3 "$T/declared" "$T/exported" |
        tr -s '\n\t' '  ')" cmp -s "$T/declared" "$T/exported"
    check "header declares functions" test "$(wc -l <"$T/declared")" -gt 30
    readelf -d "$SO" >"$T/dynamic"
    check "soname liblanzsearch.so.$MAJOR" \
        grep -q "SONAME.*\[liblanzsearch\.so\.$MAJOR\]" "$T/dynamic"
    check "no RPATH/RUNPATH in the installed library" \
        test -z "$(grep -E 'RPATH|RUNPATH' "$T/dynamic")"
    check "links Xapian dynamically" grep -q 'NEEDED.*libxapian' "$T/dynamic"
fi
check "no RPATH/RUNPATH in the installed CLI" \
    test -z "$(readelf -d "$P/bin/lanzsearch" | grep -E 'RPATH|RUNPATH')"

# --- the header alone, as C11 -pedantic and as C++ ---------------------------------------------
echo '#include <lanzsearch.h>' >"$T/h.c"
check "header alone compiles as C11 -pedantic" \
    "$CC" -std=c11 -pedantic -Wall -Wextra -Werror -fsyntax-only -I"$P/include" "$T/h.c"
if command -v c++ >/dev/null; then
    check "header alone compiles as C++11 -pedantic" \
        c++ -std=c++11 -pedantic -Wall -Wextra -Werror -fsyntax-only -I"$P/include" -x c++ "$T/h.c"
fi

# --- consumers outside the tree ----------------------------------------------------------------
C="$T/consumer"
mkdir -p "$C"
cp "$SRC/examples/index.c" "$SRC/examples/search.c" "$C/"
awk '/^## Using the library/ {s = 1} s && /^```c$/ {c = 1; next} c && /^```$/ {exit} c' \
    "$SRC/README.md" >"$C/cite.c"
check "README has a C program" grep -q 'int main' "$C/cite.c"
sed -n '/^\.EX$/,/^\.EE$/p' "$SRC/man/lanzsearch.3" | sed '1d;$d;s/\\e/\\/g' >"$C/man3.c"
check "lanzsearch(3) has a C program" grep -q 'int main' "$C/man3.c"
export PKG_CONFIG_PATH="$P/$LIB/pkgconfig"
unset PKG_CONFIG_LIBDIR
check "pkg-config version $VERSION" test "$(pkg-config --modversion lanzsearch)" = "$VERSION"
check "pkg-config --cflags names the prefix" \
    grep -q -- "-I$P/include" <<<"$(pkg-config --cflags lanzsearch)"

# with pkg-config, shared (an rpath to find the library in the prefix; static when the build
# made no shared library)
PC_LIBS=--libs
[ "$SHARED" = ON ] || PC_LIBS="--static --libs"
for prog in index search cite man3; do
    # shellcheck disable=SC2046,SC2086  # word splitting of flags is intended
    run "$CC" $CFLAGS "$C/$prog.c" -o "$C/pc-$prog" $(pkg-config --cflags $PC_LIBS lanzsearch) \
        -Wl,-rpath,"$P/$LIB"
    check "pkg-config build of $prog.c ($err)" test "$rc" = 0
done
if [ "$SHARED" = ON ]; then
    check "pkg-config build uses the installed shared library" \
        grep -q "$P/$LIB/liblanzsearch.so.$MAJOR" <<<"$(ldd "$C/pc-search")"
fi
# with pkg-config --static: the archive itself, its dependencies from Libs.private and
# Requires.private
# shellcheck disable=SC2046,SC2086
run "$CC" $CFLAGS "$C/search.c" -o "$C/pc-static-search" $(pkg-config --static --cflags \
    --libs lanzsearch | sed "s|-llanzsearch|$P/$LIB/liblanzsearch.a|")
check "pkg-config --static build ($err)" test "$rc" = 0
check "static build does not need liblanzsearch.so" \
    test -z "$(readelf -d "$C/pc-static-search" | grep liblanzsearch)"

# with find_package(lanzsearch)
mkdir -p "$C/cm"
cat >"$C/cm/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.16)
project(consumer C)
find_package(lanzsearch $MAJOR.$MINOR REQUIRED COMPONENTS static)
foreach(prog index search)
    add_executable(\${prog} ../\${prog}.c)
    target_link_libraries(\${prog} PRIVATE lanzsearch::lanzsearch)
endforeach()
add_executable(search-static ../search.c)
target_link_libraries(search-static PRIVATE lanzsearch::static)
EOF
run cmake -S "$C/cm" -B "$C/cm/build" -DCMAKE_PREFIX_PATH="$P" -DCMAKE_C_FLAGS="$CFLAGS" \
    -DCMAKE_EXE_LINKER_FLAGS="${SAN:+-fsanitize=$SAN}"
check "find_package(lanzsearch) configures ($err)" test "$rc" = 0
run cmake --build "$C/cm/build"
check "find_package consumer builds ($out $err)" test "$rc" = 0
if [ "$SHARED" = ON ]; then
    check "lanzsearch::lanzsearch is the shared library" \
        grep -q "$P/$LIB/liblanzsearch.so.$MAJOR" <<<"$(ldd "$C/cm/build/search")"
fi
check "lanzsearch::static is the static library" \
    test -z "$(readelf -d "$C/cm/build/search-static" | grep liblanzsearch)"
# a version the package cannot satisfy is refused
mkdir -p "$C/cm2"
printf 'cmake_minimum_required(VERSION 3.16)\nproject(c2 C)\n%s\n' \
    "find_package(lanzsearch $((MAJOR + 1)).0 REQUIRED)" >"$C/cm2/CMakeLists.txt"
run cmake -S "$C/cm2" -B "$C/cm2/build" -DCMAKE_PREFIX_PATH="$P"
check "find_package(lanzsearch $((MAJOR + 1)).0) is refused" test "$rc" != 0

# --- run them on the installed corpus ----------------------------------------------------------
N_DOCS=$(find "$CORPUS" -maxdepth 1 -name '*.txt' | wc -l)
run "$C/pc-index" "$T/idx" "$CORPUS"
check "pc-index exits 0 ($err)" test "$rc" = 0
check "pc-index reports each file" test "$(grep -c '^indexed ' "$T/out")" = "$N_DOCS"
check "pc-index summary" grep -q "^$N_DOCS files indexed, 0 unchanged, 0 removed" "$T/out"
run "$C/pc-index" "$T/idx" "$CORPUS"
check "pc-index again: all unchanged" grep -q "^0 files indexed, $N_DOCS unchanged" "$T/out"
run "$P/bin/lanzsearch" info --index "$T/idx"
check "installed CLI reads the index" grep -q "^documents: *$N_DOCS\$" "$T/out"
check "installed CLI is version $VERSION" grep -q "lanzsearch $VERSION (Xapian" "$T/out"

Q='sextortion dual criminality'
run "$C/pc-search" "$T/idx" "$Q"
check "pc-search exits 0 ($err)" test "$rc" = 0
check "pc-search prints ranked citations" grep -q '^1\. .*, lines\? [0-9]' "$T/out"
cp "$T/out" "$T/pc-search.out"
first_cli=$("$P/bin/lanzsearch" search --index "$T/idx" --json -n 1 "$Q" |
            python3 -c 'import json,sys; print(json.load(sys.stdin)["hits"][0]["citation"])')
check "pc-search and the installed CLI agree" grep -qF "1. $first_cli" "$T/pc-search.out"
run "$C/pc-static-search" "$T/idx" "$Q"
check "pc-static-search gives the same output" cmp -s "$T/out" "$T/pc-search.out"
run "$C/pc-cite" "$T/idx" "$Q"
check "README program runs ($err)" test "$rc" = 0
check "README program shows highlights" grep -q 'highlights: "' "$T/out"

mkdir -p "$T/man3" && ln -s "$CORPUS" "$T/man3/corpus"
run sh -c 'cd "$1/man3" && "$2"' _ "$T" "$C/pc-man3"
check "lanzsearch(3) example runs ($err)" test "$rc" = 0
check "lanzsearch(3) example cites" grep -q 'dual criminality principle.*, lines\? [0-9]' "$T/out"

run "$C/cm/build/index" "$T/idx-cm" "$CORPUS"
check "cmake-built index exits 0 ($err)" test "$rc" = 0
check "cmake-built index reports each file" test "$(grep -c '^indexed ' "$T/out")" = "$N_DOCS"
run "$C/cm/build/search" "$T/idx-cm" "$Q"
check "cmake-built search gives the same output" cmp -s "$T/out" "$T/pc-search.out"
run "$C/cm/build/search-static" "$T/idx-cm" "$Q"
check "cmake-built static search gives the same output" cmp -s "$T/out" "$T/pc-search.out"

# errors cross the shared library's boundary intact (Xapian's exception types stay hidden)
run "$C/pc-search" "$T/no-index" "$Q"
check "missing index: exit 2 ($err)" test "$rc" = 2
check "missing index: LZ_ENOTFOUND's message" grep -q 'no index here' "$T/err"
run "$C/pc-index" "$T/idx" "$T/no-such-folder"
check "missing folder: exit 2 ($err)" test "$rc" = 2
check "missing folder: named, LZ_ENOTFOUND" grep -q 'no-such-folder.*(not found)' "$T/err"

finish
