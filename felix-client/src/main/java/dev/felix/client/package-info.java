/**
 * The Java client SDK: {@code Felix.connect(options)} and publishers, subscriptions, consumers and
 * caches over felix-transport. Built by the single-node broker issue.
 */
package dev.felix.client;
