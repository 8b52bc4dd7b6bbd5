/**
 * The switch ({@link dev.graft.formats.simd.Simd}) that says whether loops on the JDK's incubating Vector API may
 * run, shared by every module that has such loops.
 */
package dev.graft.formats.simd;
