package io.nexttrack.spark;

import org.apache.spark.sql.SparkSession;

/** One local Spark (2 cores, no UI, few shuffle partitions) for every test class of the JVM: starting one takes seconds. */
final class LocalSpark {
    private LocalSpark() {}

    static synchronized SparkSession session() {
        return SparkSession.builder()
                .master("local[2]")
                .appName("nexttrack-spark-tests")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.sql.adaptive.coalescePartitions.enabled", "false") // keep 4 parts: output is partitioned
                .config("spark.driver.host", "127.0.0.1")
                .getOrCreate();
    }
}
