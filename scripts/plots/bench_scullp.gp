# scullp dd throughput against tmpfs, by block size, one line per order.
# Run in the bench output directory (reads scullp_ratio.dat).
set terminal pngcairo size 900,500
set output 'bench_scullp.png'
set title "scullp read and write throughput as a ratio to tmpfs (same boot, median)"
set logscale x 2
set xtics ("512" 512, "4K" 4096, "64K" 65536, "1M" 1048576)
set xlabel "dd block size (bytes)"
set ylabel "ratio to tmpfs (1 = as fast)"
set key outside right
set grid
plot for [o in "0 2 4"] 'scullp_ratio.dat' using ($1 == o ? $2 : 1/0):3 with linespoints title 'read, order '.o, \
     for [o in "0 2 4"] 'scullp_ratio.dat' using ($1 == o ? $2 : 1/0):4 with linespoints dashtype 2 title 'write, order '.o
