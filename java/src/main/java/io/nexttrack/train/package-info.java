/**
 * Training: {@link io.nexttrack.train.TrainingRun} (a run from start to finish, fresh or resumed, with its checks,
 * its files and the hybrid at the end), {@link io.nexttrack.train.TrainingConfig} (every setting, with its default
 * and range), {@link io.nexttrack.train.Trainer} (the loop) and its {@link io.nexttrack.train.Hook}s: progress
 * ({@link io.nexttrack.train.ProgressBar}), early stopping, learning-rate decay, checkpoints, a metrics log and a loss
 * plot.
 */
package io.nexttrack.train;
