package io.nexttrack.cli;

import io.nexttrack.serve.RecommendServer;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nexttrack serve}: the recommender over HTTP on this machine, with a page to try it. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Serve recommendations over HTTP on this machine (POST /recommend, GET /songs, GET /health), with "
                + "a page to try them at /. Replacing the model file while serving switches to the new model.")
final class ServeCommand implements Callable<Integer> {
    @Mixin ModelFileOption modelFile;

    @Option(names = "--host", paramLabel = "HOST", description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only).")
    String host = "127.0.0.1";

    @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port = 0;

    @Mixin ThreadsOption threads;

    @Option(names = "--max-batch", paramLabel = "N", description = "Most concurrent requests answered by one batched model call; "
            + "1 = one by one (default: ${DEFAULT-VALUE}).")
    int maxBatch = RecommendServer.Options.defaults().maxBatch();

    @Mixin ConfigOption config;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) throw new Main.UserError("--port must be between 0 and 65535");
        if (maxBatch < 1) throw new Main.UserError("--max-batch must be at least 1");
        RecommendServer.Options options = RecommendServer.Options.defaults().withHost(host).withPort(port).withThreads(threads.count())
                .withMaxBatch(maxBatch);
        RecommendServer server;
        try {
            server = RecommendServer.start(modelFile.file, options, line -> System.err.println("nexttrack: " + line));
        } catch (java.net.BindException e) {
            throw new Main.UserError("cannot listen on " + host + ":" + port + ": " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        System.out.println("serving " + modelFile.file + " (" + server.model().current().songCount() + " songs) at " + server.url()
                + "  (Ctrl-C stops)");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
