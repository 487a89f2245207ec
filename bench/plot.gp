# bench/plot.gp: the picture of bench/results/latest.dat, drawn by run.sh:
#   gnuplot -e "datafile='...'; outfile='...'; labels='xswd linux-bridge ...'" \
#           -e "has_ping=1; has_tcp=1; has_setup=1; has_idle=1; subtitle='...'" plot.gp
# Top: frame rate per scenario, a bar per switch.  Below: ping RTT, TCP,
# flow setup and idle CPU, a bar per switch.  Bars are medians, whiskers
# the minimum and maximum.
set terminal pngcairo size 1600,1000 font "sans,11"
set output outfile
n = words(labels)

# One colour per switch, the same in every panel.
set linetype 1 lc rgb "#1f77b4"
set linetype 2 lc rgb "#7f7f7f"
set linetype 3 lc rgb "#ff7f0e"
set linetype 4 lc rgb "#2ca02c"

set multiplot title "xsw bench: ".subtitle
set style fill solid 0.8 border -1
set grid ytics
set yrange [0:*]

set origin 0, 0.45
set size 1, 0.5
set title "Frame rate at the sink (Mpps; 64 B frames unless said)"
set style data histograms
set style histogram errorbars gap 2 lw 1.5
set boxwidth 0.9
set key top right
set xtics nomirror
plot for [i=1:n] datafile index 0 \
    using (column(3*i-1)):(column(3*i)):(column(3*i+1)):xtic( \
        strcol(1) eq "one" ? "one flow" : \
        strcol(1) eq "flows1k" ? "1k flows\n1 megaflow" : \
        strcol(1) eq "flows10k" ? "10k flows\n1 megaflow" : \
        strcol(1) eq "flows100k" ? "100k flows\n1 megaflow" : \
        strcol(1) eq "mf1k" ? "1k flows\n1k megaflows" : \
        strcol(1) eq "mf10k" ? "10k flows\n10k megaflows" : \
        strcol(1) eq "mf100k" ? "100k flows\n100k megaflows" : \
        strcol(1) eq "big" ? "1514 B frames" : strcol(1)) \
    title word(labels, i) lt i

# The small panels: a bar per switch, coloured as above.
set key off
set style data boxerrorbars
set xrange [*:*]
set offsets 0.6, 0.6, 0, 0
unset xtics
set xtics nomirror font ",9" rotate by -25 left

panel_w = 0.25
set size panel_w, 0.42

set origin 0, 0
set title "ping RTT avg (ms), whiskers min-max"
if (has_ping) {
    plot datafile index 1 using 0:2:3:4:(0.6):5:xtic(1) lc variable
} else {
    unset xtics; set label 1 "not measured" at graph 0.4, 0.5; plot [0:1][0:1] NaN notitle; unset label 1; set xtics nomirror font ",9" rotate by -25 left
}

set origin panel_w, 0
set title "iperf3 TCP (Gbit/s)"
if (has_tcp) {
    plot datafile index 2 using 0:2:3:4:(0.6):5:xtic(1) lc variable
} else {
    unset xtics; set label 1 "not measured" at graph 0.4, 0.5; plot [0:1][0:1] NaN notitle; unset label 1; set xtics nomirror font ",9" rotate by -25 left
}

set origin 2 * panel_w, 0
set title "flow setup (new megaflows/s)"
if (has_setup) {
    plot datafile index 3 using 0:2:3:4:(0.6):5:xtic(1) lc variable
} else {
    unset xtics; set label 1 "not measured" at graph 0.4, 0.5; plot [0:1][0:1] NaN notitle; unset label 1; set xtics nomirror font ",9" rotate by -25 left
}

set origin 3 * panel_w, 0
set title "idle CPU (% of a core)"
if (has_idle) {
    plot datafile index 4 using 0:2:3:4:(0.6):5:xtic(1) lc variable
} else {
    unset xtics; set label 1 "not measured" at graph 0.4, 0.5; plot [0:1][0:1] NaN notitle; unset label 1; set xtics nomirror font ",9" rotate by -25 left
}
unset multiplot
