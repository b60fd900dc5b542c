# Zero copy: O_DIRECT writes of a driver buffer to a RAM disk, straight
# from its mapping or copied into a user buffer first, by size, MB/s of the
# bytes moved; and the ratio of the two throughputs, with the goal.  Run
# in the bench output directory (reads zcopy.dat; '?' where a source did
# not run, say without an edu device).
set terminal pngcairo size 1200,450
set output 'bench_zcopy.png'
set datafile missing '?'
set multiplot layout 1,2 title "O_DIRECT write of a driver buffer (same boot, median)"
set logscale x 2
set xtics ("64K" 65536, "256K" 262144, "1M" 1048576, "4M" 4194304)
set xrange [50000:5500000]
set xlabel "bytes per write"
set grid
set key below

set title "MB/s (TCG guest: compare, don't quote)"
set ylabel "MB/s"
plot 'zcopy.dat' using 1:2 with linespoints title 'vmalloc\_demo, from the mapping', \
     '' using 1:3 with linespoints title 'vmalloc\_demo, read() first', \
     '' using 1:5 with linespoints title 'its dma-buf, from the mapping', \
     '' using 1:6 with linespoints title 'its dma-buf, copied first', \
     '' using 1:8 with linespoints title 'dma\_demo dma-buf, from the mapping', \
     '' using 1:9 with linespoints title 'dma\_demo dma-buf, copied first'

set title "zero-copy throughput / copying throughput (goal >= 1.1)"
set ylabel "ratio"
set yrange [0:2<*]
plot 'zcopy.dat' using 1:4 with linespoints title 'vmalloc\_demo', \
     '' using 1:7 with linespoints title 'vmalloc\_demo dma-buf', \
     '' using 1:10 with linespoints title 'dma\_demo dma-buf', \
     1.0 with lines dashtype 2 lc rgb 'gray' title 'no gain', \
     1.1 with lines dashtype 3 lc rgb 'gray' title 'goal 1.1'
unset multiplot
