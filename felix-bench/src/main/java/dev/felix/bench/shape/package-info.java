/**
 * W4's two call shapes with nothing but threads and loopback sockets: a calling thread that owns a
 * TCP socket (Jedis against redis-server) and a calling thread that hands its call to an I/O thread
 * speaking UDP (the Felix client's event loop over QUIC). What the shape alone costs.
 */
package dev.felix.bench.shape;
