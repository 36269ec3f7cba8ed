# Shared helpers for Baton's bash scripts. Source it; do not run it.
# shellcheck shell=bash

BATON_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export BATON_ROOT

# Default Kafka version; override with BATON_KAFKA_VERSION (e.g. 4.1.0).
BATON_KAFKA_DEFAULT_VERSION="3.9.1"

baton_log() { printf '[%s] %s\n' "${BATON_LOG_TAG:-baton}" "$*"; }
baton_warn() { printf '[%s] WARNING: %s\n' "${BATON_LOG_TAG:-baton}" "$*" >&2; }
baton_die() {
  printf '[%s] ERROR: %s\n' "${BATON_LOG_TAG:-baton}" "$*" >&2
  exit 1
}

baton_kafka_version() { printf '%s' "${BATON_KAFKA_VERSION:-$BATON_KAFKA_DEFAULT_VERSION}"; }

# Where the jars of one Kafka version live (ignored cache folder).
baton_kafka_home() { printf '%s/.cache/kafka/%s' "$BATON_ROOT" "$(baton_kafka_version)"; }

# Major version number of the selected Kafka (3 or 4).
baton_kafka_major() { local v; v="$(baton_kafka_version)"; printf '%s' "${v%%.*}"; }
