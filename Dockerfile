# Orderdesk: a multi-stage build. The builder compiles the server and the browser bundle with
# cargo-leptos (pinned as in scripts/setup); the runtime image holds the binary, the site and
# CA certificates only, and runs as an unprivileged user.
#
#   docker build -t orderdesk .
#   docker run -p 3000:3000 -e DATABASE_URL=postgres://... orderdesk
#
# Deployment notes: README.md, "Running in production".

FROM rust:1.95-bookworm AS builder
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
RUN rustup target add wasm32-unknown-unknown
WORKDIR /src
# The pinned tools, installed the same way as on a developer's machine (scripts/setup).
COPY scripts/setup scripts/setup
COPY package.json package-lock.json Cargo.lock ./
RUN SETUP_BUILD_ONLY=1 bash scripts/setup
COPY . .
RUN PATH="/src/node_modules/.bin:$PATH" cargo leptos build --release

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /app orderdesk
WORKDIR /app
COPY --from=builder /src/target/release/orderdesk /app/orderdesk
COPY --from=builder /src/target/site /app/site
USER 10001
ENV ORDERDESK_LISTEN=0.0.0.0:3000 \
    LEPTOS_SITE_ROOT=/app/site \
    ORDERDESK_DATA_DIR=/app/data \
    ORDERDESK_LOG_FORMAT=json
EXPOSE 3000
ENTRYPOINT ["/app/orderdesk"]
