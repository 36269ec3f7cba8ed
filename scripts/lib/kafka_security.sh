# Security helpers of scripts/kafka (--security sasl_ssl): a throw-away CA and
# broker certificate made with openssl, SCRAM-SHA-512 secrets, and client
# settings for kcat and the Baton services. Source it; do not run it.
# shellcheck shell=bash

# The client users of a secured broker: an admin and the services' user.
BATON_SCRAM_USERS=(admin baton)

# A random password (hex, 32 chars) in FILE (mode 600), made once.
baton_secret() {
  local file="$1"
  [[ -s $file ]] && return 0
  mkdir -p "$(dirname "$file")"
  chmod 700 "$(dirname "$file")"
  (umask 077 && openssl rand -hex 16 >"$file")
}

# A self-signed CA in DIR: ca.pem (certificate) and ca.key. Made once.
baton_tls_make_ca() {
  local dir="$1" cn="${2:-Baton test CA}"
  [[ -s $dir/ca.pem && -s $dir/ca.key ]] && return 0
  mkdir -p "$dir"
  (umask 077 && openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" -subj "/CN=$cn" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" >"$dir/openssl.log" 2>&1) ||
    baton_die "openssl could not make the CA (see $dir/openssl.log)"
}

# The broker's key and certificate (CN=localhost, SAN 127.0.0.1 + localhost),
# signed by the CA in DIR, as one PEM keystore file DIR/broker.pem
# (PKCS#8 key + certificate chain). Made once per CA.
baton_tls_make_broker_cert() {
  local dir="$1"
  [[ -s $dir/broker.pem && $dir/broker.pem -nt $dir/ca.pem ]] && return 0
  local ext="$dir/broker.ext"
  cat >"$ext" <<EOF
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost
EOF
  (umask 077 &&
    openssl req -newkey rsa:2048 -nodes -sha256 -keyout "$dir/broker.key" \
      -out "$dir/broker.csr" -subj "/CN=localhost" &&
    openssl x509 -req -in "$dir/broker.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
      -CAcreateserial -sha256 -days 825 -extfile "$ext" -out "$dir/broker.crt" &&
    cat "$dir/broker.key" "$dir/broker.crt" "$dir/ca.pem" >"$dir/broker.pem") \
    >>"$dir/openssl.log" 2>&1 ||
    baton_die "openssl could not make the broker certificate (see $dir/openssl.log)"
  rm -f "$dir/broker.csr"
}

# The server.properties lines of a SASL_SSL (SCRAM-SHA-512) client listener
# on PORT; the broker talks to itself over a PLAINTEXT loopback listener on
# IPORT and to its controller over PLAINTEXT on CPORT.
baton_sasl_ssl_listener_config() {
  local dir="$1" port="$2" iport="$3" cport="$4"
  cat <<EOF
listeners=SASL_SSL://127.0.0.1:${port},INTERNAL://127.0.0.1:${iport},CONTROLLER://127.0.0.1:${cport}
advertised.listeners=SASL_SSL://127.0.0.1:${port},INTERNAL://127.0.0.1:${iport}
inter.broker.listener.name=INTERNAL
controller.listener.names=CONTROLLER
listener.security.protocol.map=SASL_SSL:SASL_SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
ssl.keystore.type=PEM
ssl.keystore.location=${dir}/tls/broker.pem
ssl.truststore.type=PEM
ssl.truststore.location=${dir}/tls/ca.pem
ssl.client.auth=none
ssl.enabled.protocols=TLSv1.2,TLSv1.3
EOF
}

# StorageTool arguments that create the SCRAM users at format time.
baton_scram_format_args() {
  local dir="$1" u
  for u in "${BATON_SCRAM_USERS[@]}"; do
    printf '%s\n' "--add-scram" "SCRAM-SHA-512=[name=$u,password=$(cat "$dir/secrets/$u.password")]"
  done
}

# Client settings for user "baton": a librdkafka properties file (for
# kcat -F) and an env file for Baton services and the CLI (the password is
# read from a Secrets-style file via BATON_KAFKA_SASL_PASSWORD_FILE).
baton_write_client_settings() {
  local dir="$1" addr="$2"
  (umask 077 && cat >"$dir/secrets/baton.librdkafka.conf" <<EOF
bootstrap.servers=${addr}
security.protocol=SASL_SSL
sasl.mechanisms=SCRAM-SHA-512
sasl.username=baton
sasl.password=$(cat "$dir/secrets/baton.password")
ssl.ca.location=${dir}/ca.pem
EOF
  )
  cat >"$dir/client.env" <<EOF
BATON_KAFKA_BOOTSTRAP_SERVERS=${addr}
BATON_KAFKA_SECURITY_PROTOCOL=SASL_SSL
BATON_KAFKA_SASL_MECHANISMS=SCRAM-SHA-512
BATON_KAFKA_SASL_USERNAME=baton
BATON_KAFKA_SASL_PASSWORD_FILE=${dir}/secrets/baton.password
BATON_KAFKA_SSL_CA_LOCATION=${dir}/ca.pem
EOF
}

# Makes everything a sasl_ssl broker in DIR needs (idempotent).
baton_security_prepare() {
  local dir="$1" u
  command -v openssl >/dev/null || baton_die "openssl not found: apt-get install openssl"
  baton_tls_make_ca "$dir/tls"
  baton_tls_make_broker_cert "$dir/tls"
  cp "$dir/tls/ca.pem" "$dir/ca.pem"
  for u in "${BATON_SCRAM_USERS[@]}"; do baton_secret "$dir/secrets/$u.password"; done
}
