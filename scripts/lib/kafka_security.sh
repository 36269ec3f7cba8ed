# Security helpers of scripts/kafka (--security sasl_ssl | sasl_ssl_acl): a
# throw-away CA and broker certificate made with openssl, SCRAM-SHA-512
# secrets, the authorizer settings of sasl_ssl_acl, and client settings for
# kcat and the Baton services. Source it; do not run it.
# shellcheck shell=bash

# The client users of a secured broker: an admin and the services' user.
BATON_SCRAM_USERS=(admin baton)
# The client users of a broker with ACLs (sasl_ssl_acl): the admin (super
# user: ACLs, setup), one principal per service and one for the CLI and the
# topics job, each allowed only what its ACLs grant (docs/security.md); no
# shared "baton" user.
BATON_SCRAM_ACL_USERS=(admin cli router sla-monitor feedback)

# The SCRAM users of MODE (sasl_ssl or sasl_ssl_acl), one a line.
baton_scram_users() {
  if [[ ${1:-sasl_ssl} == sasl_ssl_acl ]]; then
    printf '%s\n' "${BATON_SCRAM_ACL_USERS[@]}"
  else
    printf '%s\n' "${BATON_SCRAM_USERS[@]}"
  fi
}

# The user of DIR/client.env and of the readiness probe in MODE: "baton" for
# sasl_ssl, the admin for sasl_ssl_acl (its services use client-<user>.env).
baton_client_user() {
  if [[ ${1:-sasl_ssl} == sasl_ssl_acl ]]; then printf admin; else printf baton; fi
}

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

# The server.properties lines of sasl_ssl_acl: KRaft's StandardAuthorizer,
# deny when no ACL matches. Super users: admin, and ANONYMOUS, the principal
# of the broker's own PLAINTEXT loopback listeners (inter-broker and
# controller; a client only ever gets the SASL_SSL address from metadata).
baton_acl_config() {
  cat <<EOF
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:admin;User:ANONYMOUS
allow.everyone.if.no.acl.found=false
EOF
}

# StorageTool arguments that create the SCRAM users of MODE at format time.
baton_scram_format_args() {
  local dir="$1" mode="${2:-sasl_ssl}" u
  for u in $(baton_scram_users "$mode"); do
    printf '%s\n' "--add-scram" "SCRAM-SHA-512=[name=$u,password=$(cat "$dir/secrets/$u.password")]"
  done
}

# Settings of one USER: a librdkafka properties file
# DIR/secrets/<user>.librdkafka.conf (for kcat -F) and the env file ENV_FILE
# for Baton services and the CLI (the password is read from a Secrets-style
# file via BATON_KAFKA_SASL_PASSWORD_FILE).
baton_write_user_settings() {
  local dir="$1" addr="$2" user="$3" env_file="$4"
  (umask 077 && cat >"$dir/secrets/$user.librdkafka.conf" <<EOF
bootstrap.servers=${addr}
security.protocol=SASL_SSL
sasl.mechanisms=SCRAM-SHA-512
sasl.username=${user}
sasl.password=$(cat "$dir/secrets/$user.password")
ssl.ca.location=${dir}/ca.pem
EOF
  )
  cat >"$env_file" <<EOF
BATON_KAFKA_BOOTSTRAP_SERVERS=${addr}
BATON_KAFKA_SECURITY_PROTOCOL=SASL_SSL
BATON_KAFKA_SASL_MECHANISMS=SCRAM-SHA-512
BATON_KAFKA_SASL_USERNAME=${user}
BATON_KAFKA_SASL_PASSWORD_FILE=${dir}/secrets/${user}.password
BATON_KAFKA_SSL_CA_LOCATION=${dir}/ca.pem
EOF
}

# Client settings of MODE. sasl_ssl: user "baton" (client.env,
# secrets/baton.librdkafka.conf). sasl_ssl_acl: every user
# (client-<user>.env, secrets/<user>.librdkafka.conf); client.env is then the
# admin's (the CLI: topics, roster, test events; ACLs).
baton_write_client_settings() {
  local dir="$1" addr="$2" mode="${3:-sasl_ssl}" u
  if [[ $mode != sasl_ssl_acl ]]; then
    baton_write_user_settings "$dir" "$addr" baton "$dir/client.env"
    return
  fi
  for u in $(baton_scram_users "$mode"); do
    baton_write_user_settings "$dir" "$addr" "$u" "$dir/client-$u.env"
  done
  cp "$dir/client-admin.env" "$dir/client.env"
}

# Makes everything a sasl_ssl or sasl_ssl_acl broker in DIR needs (idempotent).
baton_security_prepare() {
  local dir="$1" mode="${2:-sasl_ssl}" u
  command -v openssl >/dev/null || baton_die "openssl not found: apt-get install openssl"
  baton_tls_make_ca "$dir/tls"
  baton_tls_make_broker_cert "$dir/tls"
  cp "$dir/tls/ca.pem" "$dir/ca.pem"
  for u in $(baton_scram_users "$mode"); do baton_secret "$dir/secrets/$u.password"; done
}
