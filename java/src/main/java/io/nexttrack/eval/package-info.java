/**
 * Evaluation of next-song models. A model implements {@link io.nexttrack.eval.NextSongModel} and scores the full
 * catalogue at every position; {@link io.nexttrack.eval.Evaluator} ranks the target among all songs with
 * pessimistic ties ({@link io.nexttrack.eval.RankingMetrics}) under the NEXT or LAST protocol, optionally
 * excluding songs already in the history (positions whose target is in the history are then skipped and
 * counted), and returns an {@link io.nexttrack.eval.EvaluationReport} that states how it was scored.
 * Baselines live in {@code io.nexttrack.eval.baselines}.
 */
package io.nexttrack.eval;
