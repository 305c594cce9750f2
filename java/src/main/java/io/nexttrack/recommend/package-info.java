/**
 * Recommending the next songs: {@link io.nexttrack.recommend.Recommender} (top k after a history, batched, safe to
 * share between threads; its {@link io.nexttrack.recommend.Recommender#songs() songs()} finds songs by title or id)
 * and {@link io.nexttrack.recommend.ListeningSession} (one listener, one song at a time).
 */
package io.nexttrack.recommend;
