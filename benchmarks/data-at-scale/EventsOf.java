import io.nexttrack.data.Dataset;
import io.nexttrack.data.PlaylistReader;
import io.nexttrack.data.Playlists;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Listening events (CSV: user,track,timestamp) from playlists: playlist p is a session of user p % USERS on day
 * p / USERS, a song every 3 minutes, so that data import with the default 30-minute gap gives back exactly these
 * playlists. With "reversed" the lines come in reverse order (every user's events must be sorted).
 */
public class EventsOf {
    public static void main(String[] a) throws Exception {
        Dataset d = PlaylistReader.read(Path.of(a[0]));
        int users = Integer.parseInt(a[2]);
        boolean reversed = a.length > 3 && a[3].equals("reversed");
        Playlists p = d.playlists();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(Path.of(a[1])), 1 << 20)) {
            out.write("user,track,timestamp\n".getBytes(StandardCharsets.US_ASCII));
            StringBuilder line = new StringBuilder(64);
            for (int k = 0; k < p.size(); k++) {
                int q = reversed ? p.size() - 1 - k : k;
                long start = 1_600_000_000L + (q / users) * 86_400L + (q % 7) * 600;
                int n = p.length(q);
                for (int j = 0; j < n; j++) {
                    int i = reversed ? n - 1 - j : j;
                    line.setLength(0);
                    line.append('u').append(q % users).append(',').append(d.vocabulary().externalId(p.song(q, i))).append(',')
                            .append(start + 180L * i).append('\n');
                    out.write(line.toString().getBytes(StandardCharsets.US_ASCII));
                }
            }
        }
    }
}
