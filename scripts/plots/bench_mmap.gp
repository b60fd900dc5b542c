# mmap_demo: cost per page of mmap() + touching every page, by size, for
# the three nodes and anonymous memory; and the same as ratios.
# Run in the bench output directory (reads mmap_cost.dat).
set terminal pngcairo size 1200,450
set output 'bench_mmap.png'
set multiplot layout 1,2 title "mmap + one store per page (same boot, median)"
set logscale x 2
set xtics (16, 64, 256, 1024, 4096)
set xrange [12:5500]
set xlabel "pages mapped"
set grid
set key below

set title "ns per page (TCG guest: compare, don't quote)"
set logscale y
set ylabel "ns per page"
plot 'mmap_cost.dat' using 1:2 with linespoints title 'remap (remap\_pfn\_range)', \
     '' using 1:4 with linespoints title 'insert (vm\_insert\_pages)', \
     '' using 1:3 with linespoints title 'fault (.fault per page)', \
     '' using 1:5 with linespoints title 'anonymous'

set title "ratios (insert/remap goal: <= 1.2)"
unset logscale y
set ylabel "ratio"
set yrange [0:1.5<*]
plot 'mmap_cost.dat' using 1:6 with linespoints title 'insert / remap', \
     '' using 1:7 with linespoints title 'fault / anonymous', \
     '' using 1:8 with linespoints title 'remap / anonymous', \
     '' using 1:9 with linespoints title 'insert / anonymous', \
     1.2 with lines dashtype 2 lc rgb 'gray' title 'goal 1.2'
unset multiplot
