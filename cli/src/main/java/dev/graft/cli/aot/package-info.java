/**
 * The training run that the {@code graft} launcher's build step records JDK 25's ahead-of-time cache from
 * ({@link dev.graft.cli.aot.AotTraining}).
 */
package dev.graft.cli.aot;
