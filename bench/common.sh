# Helpers shared by the bench scripts; sourced, not run.

# Compiles programs/NAME.cpp into BUILD/bench/NAME<SUFFIX> with g++ -O2 -g (and FLAGS), unless
# that binary is already newer than its source.
build_bench_program() { # build_dir name [suffix [flags...]]
    local build=$1 name=$2 suffix=${3:-}
    shift $(($# < 3 ? $# : 3))
    local source binary
    source=$(dirname "$(realpath "${BASH_SOURCE[0]}")")/programs/$name.cpp
    binary=$build/bench/$name$suffix
    if [[ ! -x $binary || $source -nt $binary ]]; then
        mkdir -p "$build/bench"
        g++ -std=c++20 -O2 -g -Wall -Wextra -pthread "$@" "$source" -o "$binary"
    fi
}

# The median of the numbers on stdin, one per line.
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# The first number stored under "field" in a JSON file (hprof report --format json).
json_number() { # field file
    sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\([0-9.eE+-]*\).*/\1/p" "$2" | head -n 1
}
