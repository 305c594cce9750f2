/**
 * nexttrack as a library: learns from playlists and recommends the next song (a song embedding, stacked LSTMs and a
 * softmax over all songs, mixed at scoring time with the votes of similar training playlists).
 * {@link io.nexttrack.NextTrack} is the small API (train, evaluate, recommend); under it
 * {@link io.nexttrack.train.Trainer} with {@link io.nexttrack.train.Hook}s gives full control.
 *
 * <h2>Dependency</h2>
 * Maven coordinates {@code io.nexttrack:nexttrack:0.1.0-SNAPSHOT}, installed into the local repository by
 * {@code mvn install} in the project's root. The library needs Java 25 and has no third-party run-time dependency;
 * the GPU engine needs JavaCPP's CUDA bindings as well ({@code org.bytedeco:cuda:13.1-9.19-1.5.13}, with and
 * without the {@code linux-x86_64} classifier), which are optional dependencies: without them the CPU engine runs,
 * and {@link io.nexttrack.engine.EngineFactory#describe()} says why.
 *
 * <h2>JVM options</h2>
 * The CPU engine is fastest with the Java Vector API, which is still an incubator module: the JVM loads it only
 * when started with {@code --add-modules jdk.incubator.vector} (in Maven: the surefire plugin's {@code argLine},
 * the exec plugin's arguments; in Gradle: {@code jvmArgs}). Without it the library works the same on plain-Java
 * inner loops chosen once at start-up, about 5 times slower in training (V = 3,168 on the 2-core development machine),
 * and prints one line on stderr:
 * {@code nexttrack: note: the JVM runs without the Vector API ...}. Results agree to float rounding
 * (see {@code io.nexttrack.numeric.InnerLoops}). With the module the JVM prints its own warning
 * ({@code WARNING: Using incubator modules: jdk.incubator.vector}). The GPU engine (JavaCPP) also wants
 * {@code --enable-native-access=ALL-UNNAMED}, without which the JVM only warns.
 *
 * <h2>Threads</h2>
 * Models and {@link io.nexttrack.recommend.Recommender} are safe to share between threads; a
 * {@link io.nexttrack.recommend.ListeningSession} and a {@link io.nexttrack.train.Trainer} belong to one caller at
 * a time.
 */
package io.nexttrack;
