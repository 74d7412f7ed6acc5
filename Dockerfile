# The todos binary in a Debian image. go-libsql links a prebuilt glibc
# library through cgo, so both stages are Debian (not Alpine) and the build
# has CGO_ENABLED=1.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -ldflags "-s -w" -o /out/todos .

FROM debian:bookworm-slim
# ca-certificates: Turso and the Turso Platform API are reached over TLS.
# The data directory holds session tokens, password hashes, the control
# plane (or its replica) and every local tenant's data: only the todos user
# may enter it (0700). todos also tightens it, and everything in it, at
# every start. /etc/todos (0700) receives the libSQL server key that
# deploy/entrypoint.sh writes from a secret.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --user-group --home-dir /data --no-create-home todos \
 && mkdir -m 0700 /data /etc/todos && chown todos:todos /data /etc/todos
COPY --from=build /out/todos /usr/local/bin/todos
COPY deploy/entrypoint.sh /usr/local/bin/todos-entrypoint
RUN chmod 0755 /usr/local/bin/todos-entrypoint
# No USER line: the container starts as root so that the entry point can
# hand a freshly mounted volume to todos; it then runs todos as todos
# (setpriv), never as root.
ENV TODOS_ADDR=:8080 TODOS_DATA=/data TODOS_LOG_FORMAT=json
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/todos-entrypoint", "todos"]
CMD ["serve"]
