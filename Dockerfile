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
# The data directory holds session tokens, password hashes and every
# tenant's data: only the todos user may enter it (0700). todos also
# tightens it, and everything in it, at every start.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --user-group --home-dir /data --no-create-home todos \
 && mkdir -m 0700 /data && chown todos:todos /data
COPY --from=build /out/todos /usr/local/bin/todos
USER todos
ENV TODOS_ADDR=:8080 TODOS_DATA=/data TODOS_LOG_FORMAT=json
EXPOSE 8080
ENTRYPOINT ["todos"]
CMD ["serve"]
