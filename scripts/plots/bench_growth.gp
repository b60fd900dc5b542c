# scullp sequential read cost per MiB as the device grows (flat is right).
# Run in the bench output directory (reads scullp_growth.dat).
set terminal pngcairo size 800,450
set output 'bench_growth.png'
set title "scullp: read cost per MiB, as a ratio to the smallest device"
set logscale x 2
set xlabel "device size (MiB)"
set ylabel "cost per MiB / cost per MiB at 1 MiB"
set yrange [0:*]
set grid
plot 'scullp_growth.dat' using 1:2 with linespoints title 'scullp read, bs=64k'
