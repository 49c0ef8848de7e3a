/**
 * Test support for memquota users and providers: a manual clock, a manual executor, fake
 * participants and a conformance suite that any provider can run.
 */
package dev.memquota.testkit;
