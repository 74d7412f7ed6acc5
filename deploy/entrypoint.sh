#!/bin/sh
# Entry point of the todos image: prepares what only root can, then runs
# the command as the todos user.
#
# - The data directory (TODOS_DATA, default /data) is often a volume that
#   the platform mounts owned by root (Fly.io does). If the directory is
#   not owned by todos (a fresh volume, holding only lost+found), it and
#   everything in it are given to todos; it is always made 0700.
# - With SQLD_AUTH_KEY_PEM_B64 set (a secret: base64 of the PEM file of the
#   Ed25519 private key for --sqld-auth-key), the key is written to the
#   file TODOS_SQLD_AUTH_KEY names (default /etc/todos/sqld.pem), mode 0600,
#   owned by todos, and the variable is removed from the environment:
#   todos reads the key from a file only.
#
# Started as another user than root, it skips the ownership changes and
# runs the command as that user. RUN_AS names the user (default todos).
set -eu

user=${RUN_AS:-todos}
data=${TODOS_DATA:-/data}
root=false
if [ "$(id -u)" = 0 ]; then
	root=true
	group=$(id -g "$user")
	mkdir -p "$data"
	if [ "$(stat -c %u "$data")" != "$(id -u "$user")" ]; then
		chown -R "$user:$group" "$data"
	fi
	chmod 700 "$data"
fi

if [ -n "${SQLD_AUTH_KEY_PEM_B64:-}" ]; then
	key=${TODOS_SQLD_AUTH_KEY:-/etc/todos/sqld.pem}
	umask 077
	rm -f "$key.tmp"
	if ! printf '%s' "$SQLD_AUTH_KEY_PEM_B64" | base64 -d >"$key.tmp" 2>/dev/null; then
		rm -f "$key.tmp"
		echo "entrypoint: SQLD_AUTH_KEY_PEM_B64 is not valid base64: set it to the output of base64 -w0 sqld.pem" >&2
		exit 1
	fi
	chmod 600 "$key.tmp"
	if $root; then
		chown "$user:$group" "$key.tmp"
	fi
	mv -f "$key.tmp" "$key"
	export TODOS_SQLD_AUTH_KEY="$key"
fi
unset SQLD_AUTH_KEY_PEM_B64 RUN_AS

if $root; then
	exec setpriv --reuid="$user" --regid="$group" --init-groups -- "$@"
fi
exec "$@"
