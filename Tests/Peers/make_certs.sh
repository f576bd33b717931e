#!/usr/bin/env bash
# make_certs.sh OUTDIR [--force]
#
# Generates, with the openssl CLI (OpenSSL 3.0), the TLS material for the transport tests:
#   ca.pem / ca.key                  a private CA ("H2Transport Test CA")
#   server.pem / server.key          CN=localhost, SAN DNS:localhost, IP:127.0.0.1, signed by the CA
#   selfsigned.pem / selfsigned.key  CN=localhost, same SANs, self-signed (its own trust anchor)
#   expired.pem / expired.key        CN=localhost, same SANs, signed by the CA, valid only
#                                    2020-01-01 .. 2021-01-01 (expired)
#   wrong-host.pem / wrong-host.key  CN=wrong.example, SAN DNS:wrong.example only, signed by the CA
# Keys are EC P-256 (PKCS#8 PEM) - fast to generate. Leaf certs carry serverAuth EKU.
#
# Idempotent: when every file is already present it does nothing (use --force to regenerate).
# Files are generated in a scratch folder inside OUTDIR and moved into place at the end, so
# a concurrent or interrupted run never leaves a half-written set.
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: $0 OUTDIR [--force]" >&2
  exit 2
fi
OUT=$1
FORCE=${2:-}
FILES="ca.pem ca.key server.pem server.key selfsigned.pem selfsigned.key expired.pem expired.key wrong-host.pem wrong-host.key"

mkdir -p "$OUT"
if [ "$FORCE" != "--force" ]; then
  all=1
  for f in $FILES; do [ -s "$OUT/$f" ] || all=0; done
  if [ $all = 1 ]; then exit 0; fi
fi

WORK=$(mktemp -d "$OUT/.certs.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

newkey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
serial() { echo "0x$(openssl rand -hex 8)"; }

LEAF_EXT='basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid,issuer'

# --- CA -----------------------------------------------------------------------------------
newkey ca.key
openssl req -x509 -new -key ca.key -sha256 -days 3650 -subj "/CN=H2Transport Test CA" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -out ca.pem 2>/dev/null

# --- leaf signed by the CA: sign_leaf NAME CN SAN ---------------------------------------------
sign_leaf() {
  local name=$1 cn=$2 san=$3
  newkey "$name.key"
  openssl req -new -key "$name.key" -subj "/CN=$cn" -out "$name.csr" 2>/dev/null
  printf '%s\nsubjectAltName=%s\n' "$LEAF_EXT" "$san" > "$name.ext"
  openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -set_serial "$(serial)" \
    -sha256 -days 3650 -extfile "$name.ext" -out "$name.pem" 2>/dev/null
}
sign_leaf server localhost "DNS:localhost,IP:127.0.0.1"
sign_leaf wrong-host wrong.example "DNS:wrong.example"

# --- self-signed leaf ----------------------------------------------------------------------
newkey selfsigned.key
openssl req -x509 -new -key selfsigned.key -sha256 -days 3650 -subj "/CN=localhost" \
  -addext "basicConstraints=critical,CA:FALSE" \
  -addext "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign" \
  -addext "extendedKeyUsage=serverAuth" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -out selfsigned.pem 2>/dev/null

# --- expired leaf: `openssl x509 -req` in 3.0 cannot set a past notBefore, `openssl ca` can --
newkey expired.key
openssl req -new -key expired.key -subj "/CN=localhost" -out expired.csr 2>/dev/null
mkdir -p ca-db
: > ca-db/index.txt
openssl rand -hex 8 > ca-db/serial
cat > ca.cnf <<EOF
[ ca ]
default_ca = test_ca
[ test_ca ]
dir           = ./ca-db
database      = ./ca-db/index.txt
serial        = ./ca-db/serial
new_certs_dir = ./ca-db
certificate   = ./ca.pem
private_key   = ./ca.key
default_md    = sha256
policy        = policy_any
unique_subject = no
copy_extensions = none
[ policy_any ]
commonName = supplied
[ leaf_ext ]
$LEAF_EXT
subjectAltName=DNS:localhost,IP:127.0.0.1
EOF
openssl ca -batch -config ca.cnf -extensions leaf_ext -notext \
  -startdate 20200101000000Z -enddate 20210101000000Z \
  -in expired.csr -out expired.pem 2>/dev/null

# --- checks (cheap; fail loudly if the OpenSSL behaviour ever changes) ------------------------
openssl verify -CAfile ca.pem server.pem >/dev/null
openssl verify -CAfile ca.pem wrong-host.pem >/dev/null
openssl verify -CAfile selfsigned.pem selfsigned.pem >/dev/null
if openssl verify -CAfile ca.pem expired.pem >/dev/null 2>&1; then
  echo "make_certs.sh: expired.pem unexpectedly verifies" >&2
  exit 1
fi

chmod 600 ./*.key
for f in $FILES; do mv -f "$f" "$OUT/$f"; done
