#!/bin/sh
# Tokens for a libSQL server (sqld) that checks JWTs, from the Ed25519
# private key (PEM) whose public half it was started with. Needs OpenSSL 3.
#
#   deploy/sqld-token.sh sqld.pem [namespace] [days]
#       prints a token signed with sqld.pem. With a namespace it opens only
#       that namespace (claim "id"); without one, every namespace. It reads
#       and writes ("a": "rw") and expires after [days] (default 365). Use
#       it for TODOS_CONTROL_AUTH_TOKEN (namespace "control").
#
#   deploy/sqld-token.sh --public sqld.pem
#       prints the public key as sqld reads it from SQLD_AUTH_JWT_KEY (the
#       raw 32 bytes in URL-safe base64, one line).
set -eu

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

usage() {
	echo "usage: $0 private-key.pem [namespace] [days]" >&2
	echo "       $0 --public private-key.pem" >&2
	exit 2
}

if [ "${1:-}" = --public ]; then
	[ $# -eq 2 ] || usage
	# A DER Ed25519 public key ends with the 32 bytes of the key.
	openssl pkey -in "$2" -pubout -outform DER | tail -c 32 | b64url
	echo
	exit 0
fi

[ $# -ge 1 ] && [ $# -le 3 ] || usage
key=$1 ns=${2:-} days=${3:-365}
case $days in '' | *[!0-9]*)
	echo "$0: days must be a whole number" >&2
	exit 2
	;;
esac
case $ns in *[!a-z0-9_-]*)
	echo "$0: invalid namespace $ns" >&2
	exit 2
	;;
esac

exp=$(($(date +%s) + days * 86400))
if [ -n "$ns" ]; then
	claims=$(printf '{"a":"rw","exp":%d,"id":"%s"}' "$exp" "$ns")
else
	claims=$(printf '{"a":"rw","exp":%d}' "$exp")
fi
header=$(printf '{"alg":"EdDSA","typ":"JWT"}' | b64url)
payload=$(printf '%s' "$claims" | b64url)
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
printf '%s.%s' "$header" "$payload" >"$tmp"
sig=$(openssl pkeyutl -sign -inkey "$key" -rawin -in "$tmp" | b64url)
printf '%s.%s.%s\n' "$header" "$payload" "$sig"
