# mmap_demo and scullp: cost per page of mmap() + touching every page, by
# size, for mmap_demo's three nodes (the fault node with one page per fault
# and with its default window), scullp up to 64 MiB (order 0 with one page
# per fault and with the default window, and the PMD order) and anonymous
# memory; the same as ratios; and the faults it took.  Run in the bench
# output directory (reads mmap_cost.dat; NaN where a source did not run).
set terminal pngcairo size 1800,560
set output 'bench_mmap.png'
set multiplot layout 1,3 title "mmap + one store per page (same boot, median)"
set logscale x 2
set xtics (16, 64, 256, 1024, 4096, 16384, 65536)
set xrange [12:90000]
set xlabel "pages mapped"
set grid
set key below
# scullp's curves are dashed.
set style line 1 lw 1.5 dt 2 lc rgb '#d62728'
set style line 2 lw 1.5 dt 2 lc rgb '#1f77b4'
set style line 3 lw 1.5 dt 2 lc rgb '#2ca02c'

set title "ns per page (TCG guest: compare, don't quote)"
set logscale y
set ylabel "ns per page"
plot 'mmap_cost.dat' using 1:2 with linespoints title 'remap (remap\_pfn\_range)', \
     '' using 1:3 with linespoints title 'insert (vm\_insert\_pages)', \
     '' using 1:4 with linespoints title 'fault, 1 page per fault', \
     '' using 1:5 with linespoints title 'fault, default window', \
     '' using 1:6 with linespoints title 'anonymous', \
     '' using 1:7 with linespoints title 'anonymous, THP', \
     '' using 1:17 with linespoints ls 1 title 'scullp order 0, 1 page per fault', \
     '' using 1:18 with linespoints ls 2 title 'scullp order 0, default window', \
     '' using 1:19 with linespoints ls 3 title 'scullp, PMD order'

set title "ratios (goals: insert/remap <= 1.2, window/1 page <= 0.5)"
unset logscale y
set ylabel "ratio"
set yrange [0:1.5<*]
plot 'mmap_cost.dat' using 1:8 with linespoints title 'insert / remap', \
     '' using 1:9 with linespoints title 'fault window / 1 page', \
     '' using 1:10 with linespoints title 'fault window / anonymous', \
     '' using 1:20 with linespoints ls 1 title 'scullp window / 1 page', \
     '' using 1:21 with linespoints ls 2 title 'scullp PMD order / order 0, 1 page', \
     '' using 1:22 with linespoints ls 3 title 'scullp PMD order / anonymous THP', \
     1.2 with lines dashtype 2 lc rgb 'gray' title 'goal 1.2', \
     0.5 with lines dashtype 3 lc rgb 'gray' title 'goal 0.5'

set title "faults per MiB (goal at 64 MiB: scullp PMD order 100x fewer)"
set logscale y
set yrange [*:*]
set ylabel "faults per MiB"
plot 'mmap_cost.dat' using 1:13 with linespoints title 'fault, 1 page per fault', \
     '' using 1:14 with linespoints title 'fault, default window', \
     '' using 1:15 with linespoints title 'anonymous', \
     '' using 1:16 with linespoints title 'anonymous, THP', \
     '' using 1:23 with linespoints ls 1 title 'scullp order 0, 1 page per fault', \
     '' using 1:24 with linespoints ls 2 title 'scullp order 0, default window', \
     '' using 1:25 with linespoints ls 3 title 'scullp, PMD order'
unset multiplot
