# SPDX-License-Identifier: GPL-2.0
# vmalloc_demo's page table as a picture: the physical frame number (PFN)
# of each page of the buffer against its index in the buffer.  A buffer
# that were physically contiguous would be one straight diagonal line;
# vmalloc's pages land wherever the page allocator had them.
#   gnuplot -e "datafile='pages.dat'; outfile='pages.png'" vmalloc_pages.gp
# datafile: two columns, "index pfn" (debugfs vmalloc_demo/pages).

if (!exists("datafile")) datafile = 'vmalloc_pages.dat'
if (!exists("outfile")) outfile = 'vmalloc_pages.png'

set terminal pngcairo size 1000,650 noenhanced font ",11"
set output outfile

stats datafile using 1:2 nooutput
pages = STATS_records

set title sprintf("vmalloc_demo: %d pages, virtually contiguous, physically scattered", pages)
set xlabel "page index in the buffer (virtual address order)"
set ylabel "page frame number (physical address / page size)"
set format y "%.0f"
set grid
set key top left
set xrange [-0.5:pages - 0.5]

plot datafile using 1:2 with points pointtype 7 pointsize 0.5 lc rgb "#1f77b4" \
	title "one point per page"
