# dma_demo: throughput of each buffer strategy by transfer size, and the
# cost of a streaming mapping against a copy of the same size.
# Run in the bench output directory (reads dma_rate.dat and dma_map.dat).
set terminal pngcairo size 1200,450
set output 'bench_dma.png'
set multiplot layout 1,2 title "dma\\_demo on QEMU's edu device (same boot, median)"
set logscale x 2
set xlabel "bytes per transfer"
set grid
set key below

set title "throughput (edu ends each DMA after 100 ms)"
set ylabel "KiB/s"
set xrange [32:8192]
plot 'dma_rate.dat' using 1:5 with linespoints title 'coherent', \
     '' using 1:6 with linespoints title 'streaming', \
     '' using 1:7 with linespoints title 'direct'

set title "one map + unmap against one memcpy, in the kernel"
set logscale y
set ylabel "ns per call"
set xrange [32:131072]
plot 'dma_map.dat' using 1:2 with linespoints title 'dma\_map\_single + dma\_unmap\_single', \
     '' using 1:3 with linespoints title 'memcpy'
unset multiplot
