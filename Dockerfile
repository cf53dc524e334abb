# syntax=docker/dockerfile:1
# Felix broker image. Build from the repository root (no Docker is needed for `mvn -B verify`;
# deploy/check/check-dockerfile.js checks this file statically):
#   docker build -t felix:0.1.0-SNAPSHOT .
# Base images are pinned to exact versions; pin their digests too for a release build
# (docker buildx imagetools inspect IMAGE prints them).

ARG MAVEN_IMAGE=maven:3.9.9-eclipse-temurin-17
# Debian/Ubuntu based (glibc): the QUIC native library of Netty does not load on musl (Alpine).
ARG JRE_IMAGE=eclipse-temurin:17.0.15_6-jre-jammy

# --- build: the same Maven build as ./felix, tests skipped (CI ran them) ----------------------
FROM ${MAVEN_IMAGE} AS build
WORKDIR /src
COPY . .
# The cache mount keeps ~/.m2 between builds on the same machine; it never enters the image.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -pl felix-cli -am package -DskipTests

# --- runtime: JRE only, the CLI jar and its dependency jars -------------------------------------
FROM ${JRE_IMAGE}
# A fixed numeric user, so Kubernetes can verify runAsNonRoot and the chart's fsGroup matches.
RUN groupadd --system --gid 10001 felix \
 && useradd --system --uid 10001 --gid felix --home-dir /var/lib/felix --no-create-home \
      --shell /usr/sbin/nologin felix \
 && mkdir -p /var/lib/felix \
 && chown felix:felix /var/lib/felix
COPY --from=build /src/felix-cli/target/felix-cli.jar /opt/felix/felix-cli.jar
COPY --from=build /src/felix-cli/target/lib/ /opt/felix/lib/

# JVM flags for containers: size the heap from the container's memory limit, leave room for
# direct buffers and the QUIC native library, and exit (so the orchestrator restarts the broker)
# rather than limp on after an OutOfMemoryError. The Helm chart replaces them with sizes computed
# from the pod's limit.
ENV JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=60.0 -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError" \
    FELIX_DATA_DIR=/var/lib/felix \
    FELIX_QUIC_BIND=0.0.0.0:5000 \
    FELIX_HTTP_BIND=0.0.0.0:8080

USER 10001:10001
WORKDIR /var/lib/felix
# QUIC data plane (UDP) and HTTP /live, /ready, /metrics (TCP).
EXPOSE 5000/udp 8080/tcp
# No HEALTHCHECK: Kubernetes probes /live and /ready itself; with plain Docker use
# `curl -f http://HOST:8080/ready` from outside (the JRE image carries no HTTP client to use).
# Exec form, so java is PID 1 and receives SIGTERM to drain (exit code 0).
ENTRYPOINT ["java", "-jar", "/opt/felix/felix-cli.jar"]
CMD ["server"]
