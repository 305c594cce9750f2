import io.nexttrack.data.Dataset;
import io.nexttrack.data.PlaylistReader;
import java.nio.file.Path;

/** Times PlaylistReader.read(PATH), REPEATS times in one JVM: the first is what a command pays at start. */
public class LoadTime {
    public static void main(String[] a) throws Exception {
        for (int rep = 0; rep < Integer.parseInt(a[1]); rep++) {
            long t0 = System.nanoTime();
            Dataset d = PlaylistReader.read(Path.of(a[0]));
            long t1 = System.nanoTime();
            Runtime rt = Runtime.getRuntime();
            System.out.printf("%s: %.3f s (%,d playlists, %,d plays, mapped %s; heap in use %.0f MiB)%n", a[0], (t1 - t0) / 1e9,
                    d.playlists().size(), d.playlists().tokens(), d.playlists().isMapped(), (rt.totalMemory() - rt.freeMemory()) / 1048576.0);
        }
    }
}
