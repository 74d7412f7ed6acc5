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
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /data todos \
 && mkdir -p /data && chown todos /data
COPY --from=build /out/todos /usr/local/bin/todos
USER todos
ENV TODOS_ADDR=:8080 TODOS_DATA=/data TODOS_LOG_FORMAT=json
EXPOSE 8080
ENTRYPOINT ["todos"]
CMD ["serve"]
