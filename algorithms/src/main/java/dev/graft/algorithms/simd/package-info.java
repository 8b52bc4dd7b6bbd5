/**
 * The hot loops that plain Java cannot get vectorised, written on the JDK's incubating Vector API, and the switch
 * ({@link dev.graft.algorithms.simd.Simd}) that says whether they may run. Every caller keeps a scalar form with the
 * same results, used when the JVM lacks {@code --add-modules jdk.incubator.vector}. {@link
 * dev.graft.algorithms.simd.ExpLog} is the exponential and logarithm both forms of a loop share (plain Java, loaded
 * without the incubator module).
 */
package dev.graft.algorithms.simd;
