package dev.felix.server.config;

import java.util.List;

/**
 * The catalogue of every setting the server reads, by area. Adding a setting here without a row in
 * {@code docs/configuration.md} (or the other way round) fails {@code ConfigurationDocTest}.
 */
public final class Settings {
  public static final Setting CONFIG_FILE =
      new Setting(
          "FELIX_CONFIG_FILE",
          "",
          null,
          "path",
          "YAML file with settings; environment variables override it (environment only)",
          false);

  public static final Setting QUIC_BIND =
      Setting.of(
          "FELIX_QUIC_BIND",
          "quic.bind",
          "0.0.0.0:5000",
          "host:port",
          "UDP address of the QUIC listener");
  public static final Setting HTTP_BIND =
      Setting.of(
          "FELIX_HTTP_BIND",
          "http.bind",
          "0.0.0.0:8080",
          "host:port",
          "TCP address of the HTTP endpoints (/live, /ready, /metrics)");
  public static final Setting TLS_CERT =
      Setting.of(
          "FELIX_TLS_CERT",
          "tls.cert",
          null,
          "path",
          "PEM certificate chain; unset: a development certificate is generated under the data directory");
  public static final Setting TLS_KEY =
      Setting.of(
          "FELIX_TLS_KEY", "tls.key", null, "path", "PEM private key (PKCS#8) of FELIX_TLS_CERT");

  public static final Setting TLS_CLIENT_AUTH =
      Setting.of(
          "FELIX_TLS_CLIENT_AUTH",
          "tls.client_auth",
          "none",
          "none|request|require",
          "ask clients for a TLS certificate (mTLS), verified against FELIX_TLS_CLIENT_CA");
  public static final Setting TLS_CLIENT_CA =
      Setting.of(
          "FELIX_TLS_CLIENT_CA",
          "tls.client_ca",
          null,
          "path",
          "PEM CA certificates that client certificates must lead to; needed for request and require");

  public static final Setting AUTH_ENABLED =
      Setting.of(
          "FELIX_AUTH_ENABLED",
          "auth.enabled",
          "false",
          "true|false",
          "clients must authenticate (JWT or client certificate) and every call is authorized; deny by default");
  public static final Setting AUTH_JWT_JWKS_URL =
      Setting.of(
          "FELIX_AUTH_JWT_JWKS_URL",
          "auth.jwt_jwks_url",
          null,
          "URL",
          "JWKS document of the token issuer (https; cached, refetched on an unknown key id)");
  public static final Setting AUTH_JWT_KEYS_FILE =
      Setting.of(
          "FELIX_AUTH_JWT_KEYS_FILE",
          "auth.jwt_keys_file",
          null,
          "path",
          "static JWK set file with the issuer's public keys, instead of FELIX_AUTH_JWT_JWKS_URL");
  public static final Setting AUTH_JWT_ISSUER =
      Setting.of(
          "FELIX_AUTH_JWT_ISSUER", "auth.jwt_issuer", null, "", "required iss claim of tokens");
  public static final Setting AUTH_JWT_AUDIENCE =
      Setting.of(
          "FELIX_AUTH_JWT_AUDIENCE",
          "auth.jwt_audience",
          null,
          "",
          "a value the aud claim of tokens must contain");
  public static final Setting AUTH_JWT_TENANT_CLAIM =
      Setting.of(
          "FELIX_AUTH_JWT_TENANT_CLAIM",
          "auth.jwt_tenant_claim",
          "tenant",
          "",
          "claim naming the principal's tenant (required in tokens)");
  public static final Setting AUTH_JWT_GROUPS_CLAIM =
      Setting.of(
          "FELIX_AUTH_JWT_GROUPS_CLAIM",
          "auth.jwt_groups_claim",
          "groups",
          "",
          "claim listing the principal's groups, which policies bind to roles");
  public static final Setting AUTH_POLICY_FILE =
      Setting.of(
          "FELIX_AUTH_POLICY_FILE",
          "auth.policy_file",
          null,
          "path",
          "YAML or JSON access policy, reloaded when it changes (docs/security.md); unset: deny all");

  public static final Setting AUTH_BOOTSTRAP_ADMINS =
      Setting.of(
          "FELIX_AUTH_BOOTSTRAP_ADMINS",
          "auth.bootstrap_admins",
          "",
          "name@tenant,...",
          "principals that always hold admin on every resource of their own tenant, so the first"
              + " access policies can be written through the admin API");

  public static final Setting AUDIT_MAX_FILE_BYTES =
      Setting.of(
          "FELIX_AUDIT_MAX_FILE_BYTES",
          "audit.max_file_bytes",
          "16777216",
          "bytes",
          "size at which the audit log file (data directory, audit/) is rotated");
  public static final Setting AUDIT_MAX_FILES =
      Setting.of(
          "FELIX_AUDIT_MAX_FILES",
          "audit.max_files",
          "10",
          "files",
          "audit log files kept; the oldest is deleted beyond it");

  public static final Setting DATA_DIR =
      Setting.of("FELIX_DATA_DIR", "storage.data_dir", "./data", "path", "data directory");

  public static final Setting SERVER_ID =
      Setting.of(
          "FELIX_SERVER_ID",
          "server.id",
          null,
          "",
          "this broker's id, sent in HelloOk; unset: the host name");
  public static final Setting REGION =
      Setting.of(
          "FELIX_REGION",
          "server.region",
          "local",
          "",
          "sovereign region of this cluster, sent in HelloOk; data never leaves it");

  public static final Setting LOG_FORMAT =
      Setting.of("FELIX_LOG_FORMAT", "log.format", "text", "text|json", "log line format");
  public static final Setting LOG_TARGET =
      Setting.of(
          "FELIX_LOG_TARGET",
          "log.target",
          "stdout",
          "stdout|stderr",
          "where log lines go (containers collect stdout; tools that print results there use stderr)");
  public static final Setting LOG_LEVEL =
      Setting.of(
          "FELIX_LOG_LEVEL", "log.level", "info", "trace|debug|info|warn|error", "root log level");
  public static final Setting LOG_LEVELS =
      Setting.of(
          "FELIX_LOG_LEVELS",
          "log.levels",
          "",
          "logger=level,...",
          "per-package levels, e.g. dev.felix.broker=debug,io.netty=warn");

  public static final Setting SHUTDOWN_DRAIN_TIMEOUT_MS =
      Setting.of(
          "FELIX_SHUTDOWN_DRAIN_TIMEOUT_MS",
          "shutdown.drain_timeout_ms",
          "10000",
          "ms",
          "on SIGTERM, how long in-flight work may take to drain before connections close");

  public static final Setting QUIC_IDLE_TIMEOUT_MS =
      Setting.of(
          "FELIX_QUIC_IDLE_TIMEOUT_MS",
          "quic.idle_timeout_ms",
          "30000",
          "ms",
          "a connection without traffic for this long is closed");
  public static final Setting QUIC_MAX_DATA_BYTES =
      Setting.of(
          "FELIX_QUIC_MAX_DATA_BYTES",
          "quic.max_data_bytes",
          "67108864",
          "bytes",
          "QUIC connection flow-control window (64 MiB measured best on loopback)");
  public static final Setting QUIC_MAX_STREAM_DATA_BYTES =
      Setting.of(
          "FELIX_QUIC_MAX_STREAM_DATA_BYTES",
          "quic.max_stream_data_bytes",
          "16777216",
          "bytes",
          "QUIC per-stream flow-control window");
  public static final Setting QUIC_MAX_STREAMS =
      Setting.of(
          "FELIX_QUIC_MAX_STREAMS",
          "quic.max_streams",
          "1024",
          "streams",
          "concurrent streams a peer may open per direction and kind (bounds subscriptions per connection)");
  public static final Setting QUIC_UDP_BUFFER_BYTES =
      Setting.of(
          "FELIX_QUIC_UDP_BUFFER_BYTES",
          "quic.udp_buffer_bytes",
          "4194304",
          "bytes",
          "UDP SO_RCVBUF and SO_SNDBUF (the 208 KiB default loses packets on loopback)");
  public static final Setting QUIC_MAX_UDP_PAYLOAD_BYTES =
      Setting.of(
          "FELIX_QUIC_MAX_UDP_PAYLOAD_BYTES",
          "quic.max_udp_payload_bytes",
          "1350",
          "bytes",
          "Largest UDP datagram payload sent to peers over a network (QUIC cannot fragment: a"
              + " datagram above the path MTU is lost)");
  public static final Setting QUIC_LOOPBACK_UDP_PAYLOAD_BYTES =
      Setting.of(
          "FELIX_QUIC_LOOPBACK_UDP_PAYLOAD_BYTES",
          "quic.loopback_udp_payload_bytes",
          "16384",
          "bytes",
          "Largest UDP datagram payload accepted, and sent to clients on this host (a wildcard"
              + " listener also binds the loopback address of its port for them)");
  public static final Setting QUIC_EVENT_LOOPS =
      Setting.of(
          "FELIX_QUIC_EVENT_LOOPS",
          "quic.event_loops",
          "0",
          "threads",
          "UDP sockets sharing the QUIC port (SO_REUSEPORT), one event loop each; 0 = one per"
              + " processor");
  public static final Setting WIRE_MAX_FRAME_BYTES =
      Setting.of(
          "FELIX_WIRE_MAX_FRAME_BYTES",
          "wire.max_frame_bytes",
          "8388608",
          "bytes",
          "largest frame payload accepted and announced in HelloOk (at most 64 MiB)");

  public static final Setting STREAMS_AUTO_CREATE =
      Setting.of(
          "FELIX_STREAMS_AUTO_CREATE",
          "streams.auto_create",
          "true",
          "true|false",
          "create a stream on its first publish or subscribe; false: unknown streams get NOT_FOUND");
  public static final Setting STREAMS_MAX =
      Setting.of(
          "FELIX_STREAMS_MAX", "streams.max", "1024", "streams", "most streams the broker holds");
  public static final Setting STREAMS_MEMORY_MAX_BYTES =
      Setting.of(
          "FELIX_STREAMS_MEMORY_MAX_BYTES",
          "streams.memory_max_bytes",
          "0",
          "bytes",
          "record bytes all memory streams may hold together; a publish that would grow a memory"
              + " stream past it gets LIMIT_EXCEEDED (0: half of the JVM's maximum heap)");
  public static final Setting STREAM_SHARDS =
      Setting.of(
          "FELIX_STREAM_SHARDS",
          "stream.shards",
          "1",
          "shards",
          "shards of an auto-created stream");
  public static final Setting STREAM_MAX_BYTES =
      Setting.of(
          "FELIX_STREAM_MAX_BYTES",
          "stream.max_bytes",
          "67108864",
          "bytes",
          "memory log bound per shard; the oldest records are evicted beyond it");
  public static final Setting STREAM_MAX_RECORDS =
      Setting.of(
          "FELIX_STREAM_MAX_RECORDS",
          "stream.max_records",
          "1000000",
          "records",
          "memory log bound per shard in records");
  public static final Setting STREAM_BACKPRESSURE =
      Setting.of(
          "FELIX_STREAM_BACKPRESSURE",
          "stream.backpressure",
          "block",
          "block|drop_oldest|drop_newest|disconnect",
          "what happens when a subscriber's send queue is full (see docs/broker.md)");
  public static final Setting STREAM_SEND_QUEUE_BYTES =
      Setting.of(
          "FELIX_STREAM_SEND_QUEUE_BYTES",
          "stream.send_queue_bytes",
          "1048576",
          "bytes",
          "bound of each subscription's send queue");
  public static final Setting STREAM_BATCH_MAX_RECORDS =
      Setting.of(
          "FELIX_STREAM_BATCH_MAX_RECORDS",
          "stream.batch_max_records",
          "4096",
          "records",
          "most records in one event batch sent to subscribers");
  public static final Setting STREAM_BATCH_MAX_BYTES =
      Setting.of(
          "FELIX_STREAM_BATCH_MAX_BYTES",
          "stream.batch_max_bytes",
          "262144",
          "bytes",
          "most record bytes in one event batch");
  public static final Setting STREAM_BATCH_MAX_DELAY_US =
      Setting.of(
          "FELIX_STREAM_BATCH_MAX_DELAY_US",
          "stream.batch_max_delay_us",
          "0",
          "us",
          "how long live records may wait to be batched with later ones (0: send at once)");
  public static final Setting STREAM_STORAGE =
      Setting.of(
          "FELIX_STREAM_STORAGE",
          "stream.storage",
          "memory",
          "memory|durable",
          "storage of auto-created streams: memory (bounded, lost on restart) or durable (segment files under the data directory)");
  public static final Setting STREAM_FSYNC =
      Setting.of(
          "FELIX_STREAM_FSYNC",
          "stream.fsync",
          "interval",
          "always|interval|never",
          "fsync policy of auto-created durable streams: always (ack after fsync), interval, never (page cache)");
  public static final Setting STREAM_FSYNC_INTERVAL_MS =
      Setting.of(
          "FELIX_STREAM_FSYNC_INTERVAL_MS",
          "stream.fsync_interval_ms",
          "1000",
          "ms",
          "how often an interval-policy durable stream forces its log to disk (the most a crash can lose)");
  public static final Setting STREAM_SEGMENT_BYTES =
      Setting.of(
          "FELIX_STREAM_SEGMENT_BYTES",
          "stream.segment_bytes",
          "1073741824",
          "bytes",
          "segment file size of auto-created durable streams; retention deletes whole segments");
  public static final Setting STREAM_RETENTION_MS =
      Setting.of(
          "FELIX_STREAM_RETENTION_MS",
          "stream.retention_ms",
          "604800000",
          "ms",
          "durable streams delete sealed segments whose newest record is older than this; 0: keep forever");
  public static final Setting STREAM_RETENTION_BYTES =
      Setting.of(
          "FELIX_STREAM_RETENTION_BYTES",
          "stream.retention_bytes",
          "0",
          "bytes",
          "durable streams delete their oldest sealed segments beyond this size per shard; 0: no size limit");
  public static final Setting STORAGE_THREADS =
      Setting.of(
          "FELIX_STORAGE_THREADS",
          "storage.threads",
          "2",
          "threads",
          "threads that append to durable logs (disk I/O never runs on a network thread)");
  public static final Setting RECORD_MAX_BYTES =
      Setting.of(
          "FELIX_RECORD_MAX_BYTES",
          "record.max_bytes",
          "1048576",
          "bytes",
          "largest record accepted (MESSAGE_TOO_LARGE above)");

  public static final Setting CONNECTION_MAX_INFLIGHT_PUBLISH_BYTES =
      Setting.of(
          "FELIX_CONNECTION_MAX_INFLIGHT_PUBLISH_BYTES",
          "connection.max_inflight_publish_bytes",
          "16777216",
          "bytes",
          "publish bytes appended but not acknowledged per connection before the server stops reading it");
  public static final Setting CONNECTION_MAX_SUBSCRIPTIONS =
      Setting.of(
          "FELIX_CONNECTION_MAX_SUBSCRIPTIONS",
          "connection.max_subscriptions",
          "1024",
          "subscriptions",
          "open subscriptions per connection (LIMIT_EXCEEDED beyond)");

  public static final Setting QUEUES_VISIBILITY_TIMEOUT_MS =
      Setting.of(
          "FELIX_QUEUES_VISIBILITY_TIMEOUT_MS",
          "queues.visibility_timeout_ms",
          "30000",
          "ms",
          "how long a leased record stays with a consumer-group member without an ack before it is redelivered to a live member");
  public static final Setting QUEUES_MAX_DELIVERIES =
      Setting.of(
          "FELIX_QUEUES_MAX_DELIVERIES",
          "queues.max_deliveries",
          "5",
          "deliveries",
          "deliveries of one record after which a further nack or expiry moves it to the dead-letter stream");
  public static final Setting QUEUES_MAX_UNACKED_PER_SHARD =
      Setting.of(
          "FELIX_QUEUES_MAX_UNACKED_PER_SHARD",
          "queues.max_unacked_per_shard",
          "10000",
          "records",
          "ack window: most records of one shard a group holds beyond its committed position; a full window stops new leases (back-pressure)");
  public static final Setting QUEUES_DEFAULT_MAX_IN_FLIGHT =
      Setting.of(
          "FELIX_QUEUES_DEFAULT_MAX_IN_FLIGHT",
          "queues.default_max_in_flight",
          "100",
          "records",
          "leases a member may hold when its Subscribe says maxInFlight 0");
  public static final Setting QUEUES_MAX_IN_FLIGHT =
      Setting.of(
          "FELIX_QUEUES_MAX_IN_FLIGHT",
          "queues.max_in_flight",
          "10000",
          "records",
          "cap on a member's lease allowance (maxInFlight and Credit)");
  public static final Setting QUEUES_MAX_GROUPS =
      Setting.of(
          "FELIX_QUEUES_MAX_GROUPS",
          "queues.max_groups",
          "1024",
          "groups",
          "most consumer groups the broker holds (LIMIT_EXCEEDED beyond)");
  public static final Setting QUEUES_POSITION_FLUSH_MS =
      Setting.of(
          "FELIX_QUEUES_POSITION_FLUSH_MS",
          "queues.position_flush_ms",
          "1000",
          "ms",
          "how often the consumer-group ack journal of durable streams is fsynced and group counters saved; acks reach the journal (page cache) at once, so a process kill redelivers only the leases in flight, a machine crash at most this much ack progress");
  public static final Setting QUEUES_DEAD_LETTER_SUFFIX =
      Setting.of(
          "FELIX_QUEUES_DEAD_LETTER_SUFFIX",
          "queues.dead_letter_suffix",
          ".dlq",
          "name characters",
          "appended to a stream's name to name its dead-letter stream");
  public static final Setting CURSORS_MAX =
      Setting.of(
          "FELIX_CURSORS_MAX",
          "cursors.max",
          "10000",
          "cursors",
          "most named subscription cursors the broker holds (a commit creating one more gets LIMIT_EXCEEDED)");
  public static final Setting CACHES_AUTO_CREATE =
      Setting.of(
          "FELIX_CACHES_AUTO_CREATE",
          "caches.auto_create",
          "true",
          "true|false",
          "create a cache on its first write (reads of an unknown cache answer MISS); false: unknown caches get NOT_FOUND");
  public static final Setting CACHES_MAX =
      Setting.of("FELIX_CACHES_MAX", "caches.max", "256", "caches", "most caches the broker holds");
  public static final Setting CACHES_MAX_BYTES =
      Setting.of(
          "FELIX_CACHES_MAX_BYTES",
          "caches.max_bytes",
          "268435456",
          "bytes",
          "broker-wide cache memory budget: the byte bounds of all caches together stay within it (LIMIT_EXCEEDED when a new cache does not fit)");
  public static final Setting CACHE_MAX_BYTES =
      Setting.of(
          "FELIX_CACHE_MAX_BYTES",
          "cache.max_bytes",
          "16777216",
          "bytes",
          "byte bound of an auto-created cache; the least valuable entries are evicted beyond it (docs/cache.md)");
  public static final Setting CACHE_DEFAULT_TTL_MS =
      Setting.of(
          "FELIX_CACHE_DEFAULT_TTL_MS",
          "cache.default_ttl_ms",
          "0",
          "ms",
          "TTL of a put that asks for none, in an auto-created cache; 0: such entries never expire");
  public static final Setting CACHE_MAX_TTL_MS =
      Setting.of(
          "FELIX_CACHE_MAX_TTL_MS",
          "cache.max_ttl_ms",
          "0",
          "ms",
          "cap on requested TTLs in an auto-created cache; 0: no cap (when set, the default TTL must be set and not above it)");
  public static final Setting CACHE_STORAGE =
      Setting.of(
          "FELIX_CACHE_STORAGE",
          "cache.storage",
          "memory",
          "memory|durable",
          "storage of auto-created caches: memory (lost on restart) or durable (a compacted log under the data directory)");
  public static final Setting CACHE_FSYNC =
      Setting.of(
          "FELIX_CACHE_FSYNC",
          "cache.fsync",
          "always",
          "always|interval|never",
          "fsync policy of auto-created durable caches: always (answer after fsync), interval, never (page cache)");
  public static final Setting CACHE_WATCHES_MAX =
      Setting.of(
          "FELIX_CACHE_WATCHES_MAX",
          "cache.watches_max",
          "1024",
          "watches",
          "cache watches the broker serves at once (LIMIT_EXCEEDED past it)");
  public static final Setting CACHE_WATCHES_PER_CONNECTION =
      Setting.of(
          "FELIX_CACHE_WATCHES_PER_CONNECTION",
          "cache.watches_per_connection",
          "16",
          "watches",
          "cache watches one connection may hold (LIMIT_EXCEEDED past it)");
  public static final Setting CACHE_WATCH_BUFFER_CHANGES =
      Setting.of(
          "FELIX_CACHE_WATCH_BUFFER_CHANGES",
          "cache.watch_buffer_changes",
          "10000",
          "changes",
          "changes a watch may hold on the broker while its client is not reading; past it the watch ends with SLOW_CONSUMER");
  public static final Setting CACHE_MAX_VALUE_BYTES =
      Setting.of(
          "FELIX_CACHE_MAX_VALUE_BYTES",
          "cache.max_value_bytes",
          "1048576",
          "bytes",
          "largest cache value accepted (MESSAGE_TOO_LARGE above)");

  public static final List<Setting> ALL =
      List.of(
          CONFIG_FILE,
          QUIC_BIND,
          HTTP_BIND,
          TLS_CERT,
          TLS_KEY,
          TLS_CLIENT_AUTH,
          TLS_CLIENT_CA,
          AUTH_ENABLED,
          AUTH_JWT_JWKS_URL,
          AUTH_JWT_KEYS_FILE,
          AUTH_JWT_ISSUER,
          AUTH_JWT_AUDIENCE,
          AUTH_JWT_TENANT_CLAIM,
          AUTH_JWT_GROUPS_CLAIM,
          AUTH_POLICY_FILE,
          AUTH_BOOTSTRAP_ADMINS,
          AUDIT_MAX_FILE_BYTES,
          AUDIT_MAX_FILES,
          DATA_DIR,
          SERVER_ID,
          REGION,
          LOG_FORMAT,
          LOG_TARGET,
          LOG_LEVEL,
          LOG_LEVELS,
          SHUTDOWN_DRAIN_TIMEOUT_MS,
          QUIC_IDLE_TIMEOUT_MS,
          QUIC_MAX_DATA_BYTES,
          QUIC_MAX_STREAM_DATA_BYTES,
          QUIC_MAX_STREAMS,
          QUIC_UDP_BUFFER_BYTES,
          QUIC_MAX_UDP_PAYLOAD_BYTES,
          QUIC_LOOPBACK_UDP_PAYLOAD_BYTES,
          QUIC_EVENT_LOOPS,
          WIRE_MAX_FRAME_BYTES,
          STREAMS_AUTO_CREATE,
          STREAMS_MAX,
          STREAMS_MEMORY_MAX_BYTES,
          STREAM_SHARDS,
          STREAM_MAX_BYTES,
          STREAM_MAX_RECORDS,
          STREAM_BACKPRESSURE,
          STREAM_SEND_QUEUE_BYTES,
          STREAM_BATCH_MAX_RECORDS,
          STREAM_BATCH_MAX_BYTES,
          STREAM_BATCH_MAX_DELAY_US,
          STREAM_STORAGE,
          STREAM_FSYNC,
          STREAM_FSYNC_INTERVAL_MS,
          STREAM_SEGMENT_BYTES,
          STREAM_RETENTION_MS,
          STREAM_RETENTION_BYTES,
          STORAGE_THREADS,
          RECORD_MAX_BYTES,
          CONNECTION_MAX_INFLIGHT_PUBLISH_BYTES,
          CONNECTION_MAX_SUBSCRIPTIONS,
          QUEUES_VISIBILITY_TIMEOUT_MS,
          QUEUES_MAX_DELIVERIES,
          QUEUES_MAX_UNACKED_PER_SHARD,
          QUEUES_DEFAULT_MAX_IN_FLIGHT,
          QUEUES_MAX_IN_FLIGHT,
          QUEUES_MAX_GROUPS,
          QUEUES_POSITION_FLUSH_MS,
          QUEUES_DEAD_LETTER_SUFFIX,
          CURSORS_MAX,
          CACHES_AUTO_CREATE,
          CACHES_MAX,
          CACHES_MAX_BYTES,
          CACHE_MAX_BYTES,
          CACHE_DEFAULT_TTL_MS,
          CACHE_MAX_TTL_MS,
          CACHE_MAX_VALUE_BYTES,
          CACHE_STORAGE,
          CACHE_FSYNC,
          CACHE_WATCHES_MAX,
          CACHE_WATCHES_PER_CONNECTION,
          CACHE_WATCH_BUFFER_CHANGES);

  private Settings() {}
}
