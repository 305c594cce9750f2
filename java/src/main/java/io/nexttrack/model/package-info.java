/**
 * Models: {@link io.nexttrack.model.ModelConfig} (the shape), {@link io.nexttrack.model.Parameters} (one flat
 * buffer), {@link io.nexttrack.model.TrainedModel} (parameters, songs and the hybrid, saved and loaded in the
 * {@link io.nexttrack.model.Checkpoint} format, with the keys of {@link io.nexttrack.model.RunCheckpoint}).
 */
package io.nexttrack.model;
