/**
 * Adam and global-norm gradient clipping: the specification every engine follows (the GPU kernels are tested
 * against them bit for bit).
 */
package io.nexttrack.optim;
