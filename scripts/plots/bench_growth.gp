# scullp sequential read cost per MiB as the device grows (flat is right).
# Run in the bench output directory (reads scullp_growth.dat).
set terminal pngcairo size 800,450
set output 'bench_growth.png'
set title "scullp: cost of reading the last 16 MiB, as a ratio to the 16 MiB device"
set logscale x 2
set xtics (16, 32, 64, 128, 256)
set xlabel "device size (MiB)"
set ylabel "ratio to the 16 MiB device (flat is right)"
set yrange [0:*]
set grid
plot 'scullp_growth.dat' using 1:2 with linespoints title 'scullp read, bs=64k'
