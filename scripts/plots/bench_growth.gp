# scullp sequential read cost per MiB as the device grows (flat is right).
# Run in the bench output directory (reads scullp_growth.dat: size, median
# ratio to the 16 MiB device of the same repetition, min, max).
set terminal pngcairo size 800,450
set output 'bench_growth.png'
set title "scullp, 4 quanta per qset: cost of reading the last 16 MiB, as a ratio to the 16 MiB device"
set logscale x 2
set xrange [12:340]
set xtics (16, 32, 64, 128, 256)
set key bottom right
set xlabel "device size (MiB)"
set ylabel "ratio to the 16 MiB device (flat is right)"
set yrange [0:*]
set grid
plot 'scullp_growth.dat' using 1:2:3:4 with yerrorlines title 'scullp read, bs=64k (median, range)', \
     1.5 with lines dashtype 2 title 'goal: below 1.5'
