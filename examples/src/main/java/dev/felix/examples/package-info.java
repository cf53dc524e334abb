/** Runnable examples shown in the README; the quickstart lands with the Java client. */
package dev.felix.examples;
