# SPDX-License-Identifier: GPL-2.0
# Two readers at once on one scullp device, one vmalloc_demo buffer and one
# tmpfs file: MB/s of one reader alone and of two together, and the gain
# (two's throughput over one's, median and range), with the goal: each
# driver's gain at least 0.9x tmpfs's.  Run in the bench output directory
# (reads scale.dat: index, source, one_mbs, two_mbs, gain, min, max).
set terminal pngcairo size 1100,450 noenhanced
set output 'bench_scale.png'
set multiplot layout 1,2 title "two readers against one (same boot, median)"
set style fill solid 0.6 border -1
set boxwidth 0.35
set xrange [-0.6:2.6]
set grid ytics
set key below

set title "MB/s (TCG guest: compare, don't quote)"
set ylabel "MB/s"
set yrange [0:*]
plot 'scale.dat' using ($1 - 0.18):3:xtic(2) with boxes title 'one reader', \
     '' using ($1 + 0.18):4 with boxes title 'two at once, together'

set title "gain of a second reader (goal: >= 0.9x tmpfs's)"
set ylabel "two / one"
set yrange [0:2.2]
plot 'scale.dat' using 1:5:xtic(2) with boxes notitle, \
     '' using 1:5:6:7 with yerrorbars lc rgb 'black' pt 0 title 'range', \
     1.0 with lines dashtype 2 lc rgb 'gray' title 'no gain'
unset multiplot
