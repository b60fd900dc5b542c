# SPDX-License-Identifier: GPL-2.0
# vmalloc_demo, two panels.  Left: dd read and write throughput of each
# backend (and scullp) as a ratio to a kmalloc()ed buffer, by block size.
# Right: in-kernel cost per page of vmalloc()+vfree(), of the vmap path
# (alloc_page()+vmap()+vunmap()+__free_page()) and of vmap()+vunmap()
# alone, by buffer size in pages.
# Run in the bench output directory (reads vmalloc_dd.dat, vmalloc_alloc.dat).
set terminal pngcairo size 1400,550 noenhanced
set output 'bench_vmalloc.png'
set multiplot layout 1,2

set title "dd on a 4 MiB buffer, as a ratio to a kmalloc()ed one (same boot, median)"
set logscale x 2
set xtics ("512" 512, "4K" 4096, "64K" 65536, "1M" 1048576)
set xlabel "dd block size (bytes)"
set ylabel "ratio to kmalloc (1 = as fast)"
set yrange [0:*]
set key bottom right
set grid
devs = "vmalloc vmap scullp"
plot for [i=1:3] 'vmalloc_dd.dat' using (strcol(1) eq word(devs, i) ? $2 : 1/0):3 \
	with linespoints lc i title 'read, '.word(devs, i), \
     for [i=1:3] 'vmalloc_dd.dat' using (strcol(1) eq word(devs, i) ? $2 : 1/0):4 \
	with linespoints lc i dashtype 2 title 'write, '.word(devs, i)

set title "in-kernel cost per page (median, TCG nanoseconds)"
set xtics autofreq
set format x "%.0f"
set xlabel "buffer size (pages)"
set logscale y 10
set yrange [*:*]
set ylabel "ns per page"
set key top right
plot 'vmalloc_alloc.dat' using 1:2 with linespoints title 'vmalloc + vfree', \
     'vmalloc_alloc.dat' using 1:3 with linespoints title 'alloc_page + vmap + vunmap + __free_page', \
     'vmalloc_alloc.dat' using 1:4 with linespoints title 'vmap + vunmap alone'

unset multiplot
