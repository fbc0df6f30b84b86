# syntax=docker/dockerfile:1
# goalpost in a container: a static musl binary on Alpine with git.
#   docker build -t goalpost .
#   docker run --rm -v "$PWD:/repo" goalpost check
# The build stage downloads the crates from crates.io, so `docker build` needs the network.

# Build on the MSRV (Cargo.toml's rust-version): the image build doubles as a check of it.
ARG RUST_VERSION=1.88
ARG ALPINE_VERSION=3.22

FROM rust:${RUST_VERSION}-alpine${ALPINE_VERSION} AS build
# Rust on Alpine targets musl and links statically; libgit2 and zlib are C, built by their
# -sys crates, so they need a C compiler and musl's headers.
RUN apk add --no-cache build-base
WORKDIR /src
# Dependencies first, in their own layer, so a source change does not fetch them again.
COPY Cargo.toml Cargo.lock ./
RUN mkdir src && echo 'fn main() {}' >src/main.rs && touch src/lib.rs \
    && cargo fetch --locked \
    && rm -rf src
COPY build.rs ./
COPY src ./src
COPY templates ./templates
COPY sample-repo ./sample-repo
RUN cargo build --locked --profile dist \
    && cp target/dist/goalpost /usr/local/bin/goalpost \
    && /usr/local/bin/goalpost --version

FROM alpine:${ALPINE_VERSION}
# git: `checkin --commit` runs it; ca-certificates: fetching over https inside CI jobs.
RUN apk add --no-cache git ca-certificates \
    # CI systems mount the checkout owned by another user; without this, git and libgit2
    # refuse it as "dubious ownership". This image only ever works on the mounted repository.
    && git config --system --add safe.directory '*'
COPY --from=build /usr/local/bin/goalpost /usr/local/bin/goalpost
WORKDIR /repo
ENTRYPOINT ["goalpost"]
CMD ["--help"]
