# Plot of bench/results/bench-*mb.tsv (written by bench.c): indexing throughput and query
# latency of lanzsearch and SQLite FTS5 against corpus size, log-log, into bench/results/bench.png.
#     gnuplot -e "dir='bench/results'" bench/plot.gp
if (!exists("dir")) dir = "bench/results"
# One metric's rows from every size, sorted by size: "size lanzsearch fts5".
sel(m) = sprintf("< awk -F'\t' '$2 == \"%s\" { print $1, $3, $4 }' %s/bench-*mb.tsv | sort -n", \
                 m, dir)

set terminal png size 1200,900 font ",10"
set output dir."/bench.png"
set multiplot layout 2,2 title "lanzsearch vs SQLite FTS5 (same run, same corpus and queries)"
set logscale x
set xlabel "corpus MB"
set key top left
set grid

set title "indexing throughput"
set ylabel "MB/s"
set logscale y
plot sel("index_mbps") using 1:2 with linespoints lw 2 title "lanzsearch", \
     ""                using 1:3 with linespoints lw 2 title "FTS5"

set title "in-process query latency (top 10 + snippets)"
set ylabel "ms"
plot sel("q_p50_ms") using 1:2 with linespoints lw 2 title "lanzsearch p50", \
     ""              using 1:3 with linespoints lw 2 title "FTS5 p50", \
     sel("q_p99_ms") using 1:2 with linespoints lw 2 dt 2 title "lanzsearch p99", \
     ""              using 1:3 with linespoints lw 2 dt 2 title "FTS5 p99"

set title "CLI latency, one process per query"
plot sel("cli_p50_ms") using 1:2 with linespoints lw 2 title "lanzsearch p50", \
     ""                using 1:3 with linespoints lw 2 title "sqlite3 p50", \
     sel("cli_p99_ms") using 1:2 with linespoints lw 2 dt 2 title "lanzsearch p99", \
     ""                using 1:3 with linespoints lw 2 dt 2 title "sqlite3 p99"

set title "index size"
set ylabel "index bytes per input byte"
unset logscale y
set yrange [0:*]
set key bottom left
plot sel("size_before") using 1:2 with linespoints lw 2 title "lanzsearch as built", \
     ""                 using 1:3 with linespoints lw 2 title "FTS5 as built", \
     sel("size_after")  using 1:2 with linespoints lw 2 dt 2 title "lanzsearch compact", \
     ""                 using 1:3 with linespoints lw 2 dt 2 title "FTS5 optimize + VACUUM"
unset multiplot
