# syntax=docker/dockerfile:1
# Baton: one image with the three services (baton-router, baton-sla-monitor,
# baton-feedback) and the CLI (baton).
#   docker build -t baton:0.1.0 .
# Stage 1 builds with Debian bookworm's toolchain and -dev packages; stage 2
# carries only their runtime libraries and runs as an unprivileged user.

FROM debian:bookworm AS build
ARG DEBIAN_FRONTEND=noninteractive
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# Versions come from the bookworm snapshot the base image points at.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build pkg-config \
      librdkafka-dev libprotobuf-dev protobuf-compiler librocksdb-dev prometheus-cpp-dev \
      libcpp-httplib-dev libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libabsl-dev libjemalloc-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake --preset release -DBATON_BUILD_TESTS=OFF -DBATON_BUILD_BENCH=OFF \
 && cmake --build --preset release --target baton-router baton-sla-monitor baton-feedback baton \
 && install -d /out/bin \
 && install -m 0755 -s build/release/bin/baton-router build/release/bin/baton-sla-monitor \
      build/release/bin/baton-feedback build/release/bin/baton /out/bin/

FROM debian:bookworm-slim AS runtime
ARG DEBIAN_FRONTEND=noninteractive
# Runtime libraries only: no compiler, no headers, no package caches.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ca-certificates \
      librdkafka++1 librdkafka1 libprotobuf32 librocksdb7.8 \
      libprometheus-cpp-core1.0 libprometheus-cpp-pull1.0 \
      libyaml-cpp0.7 libcpp-httplib0.11 libabsl20220623 libjemalloc2 tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 baton \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/baton --no-create-home \
      --shell /usr/sbin/nologin baton \
 && install -d -o 10001 -g 10001 -m 0750 /var/lib/baton \
 && install -d -m 0755 /etc/baton
COPY --from=build /out/bin/ /usr/local/bin/
LABEL org.opencontainers.image.title="baton" \
      org.opencontainers.image.description="Baton: marketing-to-sales lead handoff services on Kafka"
USER 10001:10001
WORKDIR /var/lib/baton
VOLUME ["/var/lib/baton"]
EXPOSE 8080
# Run a service by name, e.g.
#   baton-router --config /etc/baton/config.yaml --instance-id router-0
# with Kafka settings from BATON_KAFKA_* environment variables.
CMD ["baton", "--help"]
