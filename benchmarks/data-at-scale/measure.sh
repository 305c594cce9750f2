#!/usr/bin/env bash
# The "Data at scale" figures of benchmarks/README.md: run from the repository root, with about 6 GB free in
# ${SCRATCH:-/tmp/nexttrack-scale} (MPD-sized text, two 1.7 GB event files, the stores). Takes 10-20 minutes.
set -euo pipefail
S=${SCRATCH:-/tmp/nexttrack-scale}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
YES=${NEXTTRACK_YES_DATA:-../shared/data/yes/yes_small}
m() { # label, command...
  local label=$1; shift
  echo "== $label"; echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  /usr/bin/time -f "wall %e s, user %U s, sys %S s, CPU %P, max RSS %M KB" "$@" 2>&1 | grep -v "Using incubator"
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
}
./nexttrack --version > /dev/null 2>&1 # builds the jar if needed
mkdir -p "$S/classes"
"${JAVA%/java}/javac" --add-modules jdk.incubator.vector -cp java/target/nexttrack.jar -d "$S/classes" benchmarks/data-at-scale/*.java
J="$JAVA -XX:+UseParallelGC -Xmn64m -cp java/target/nexttrack.jar:$S/classes"
rm -rf "$S/mpd" "$S/mpdtext"
m "synth MPD into a store" ./nexttrack data synth --preset mpd --store --out "$S/mpd"
m "synth MPD as Yes text" ./nexttrack data synth --preset mpd --out "$S/mpdtext"
m "import MPD Yes text" ./nexttrack data import --data "$S/mpdtext" --out "$S/mpd-imported.nts"
cmp "$S/mpd/playlists.nts" "$S/mpd-imported.nts" && echo "synth --store and synth + import: byte-identical stores"
[ -f "$S/events.csv" ] || $J EventsOf "$S/mpd/playlists.nts" "$S/events.csv" 100000
[ -f "$S/events-reversed.csv" ] || $J EventsOf "$S/mpd/playlists.nts" "$S/events-reversed.csv" 100000 reversed
m "import 66M events (each user's in time order)" ./nexttrack data import --data "$S/events.csv" --out "$S/events.nts"
m "import 66M events (reversed: every user's events to sort)" ./nexttrack data import --data "$S/events-reversed.csv" --out "$S/events-reversed.nts"
m "import yes_small" ./nexttrack data import --data "$YES" --out "$S/yes.nts"
m "load MPD store" $J LoadTime "$S/mpd/playlists.nts" 3
m "load MPD Yes text" $J LoadTime "$S/mpdtext" 1
m "load yes_small store" $J LoadTime "$S/yes.nts" 5
m "load yes_small text" $J LoadTime "$YES" 5
m "data stats on the MPD store" ./nexttrack data stats "$S/mpd/playlists.nts"
m "data stats on the MPD text" ./nexttrack data stats "$S/mpdtext"
