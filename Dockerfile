# Production image: a static questbase binary on a small Alpine base.
# Build: docker build -t questbase .   Run: see docker-compose.yml.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# pure-Go SQLite: no cgo, so the binary runs on any base image
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/questbase .

FROM alpine:3.22
RUN apk add --no-cache ca-certificates tzdata \
 && adduser -D -H -u 10001 questbase \
 && mkdir -p /app/pb_data \
 && chown questbase:questbase /app/pb_data
COPY --from=build /out/questbase /usr/local/bin/questbase
WORKDIR /app
USER questbase
# SQLite database, local files and backups; keep it on a volume
VOLUME /app/pb_data
EXPOSE 8090
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD wget -qO- http://127.0.0.1:8090/api/health >/dev/null || exit 1
ENTRYPOINT ["questbase"]
CMD ["serve", "--http=0.0.0.0:8090"]
