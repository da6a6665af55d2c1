# resume-optimizer-server in a container.
#
#   docker build -t resume-optimizer-server .
#   docker run --rm -p 8080:8080 -e RESUME_OPTIMIZER_JWT_SECRET="$(openssl rand -base64 48)" resume-optimizer-server
#
# Every serve flag also reads an environment variable (RESUME_OPTIMIZER_PORT, RESUME_OPTIMIZER_STORE, ...;
# see `resume-optimizer-server serve --help`). compose.yaml runs it with PostgreSQL.

# ---- Build: the Swift toolchain, the system libraries' headers, a static Swift runtime.
ARG SWIFT_VERSION=6.3
FROM swift:${SWIFT_VERSION}-noble AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libzip-dev libxml2-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN swift build --package-path Examples -c release --product resume-optimizer-server --static-swift-stdlib \
 && mkdir -p /staging \
 && bin="$(swift build --package-path Examples -c release --show-bin-path)" \
 && cp "$bin/resume-optimizer-server" /staging/ \
 && cp -R "$bin"/*.resources /staging/

# ---- Run: a slim image with the two C libraries the parser links.
FROM ubuntu:noble
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libzip4t64 libxml2 ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /var/lib/resume-optimizer resume-optimizer
# The binary finds its bundled page and openapi.json in the .resources folder next to it.
COPY --from=build /staging/ /usr/local/bin/
USER resume-optimizer
WORKDIR /var/lib/resume-optimizer
ENV RESUME_OPTIMIZER_HOSTNAME=0.0.0.0 \
    RESUME_OPTIMIZER_PORT=8080 \
    RESUME_OPTIMIZER_DATA_DIR=/var/lib/resume-optimizer/data
EXPOSE 8080
# SIGTERM stops intake and lets running jobs finish within the grace period.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/resume-optimizer-server"]
CMD ["serve"]
