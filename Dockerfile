# Builds the model-operator image: the operator and, as `model-operator fetch`, its init container.
FROM swift:6.1-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
      libcurl4-openssl-dev libssl-dev libyaml-dev pkg-config zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product model-operator --static-swift-stdlib \
    && cp "$(swift build -c release --show-bin-path)/model-operator" /model-operator

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
      libcurl4 libssl3 libyaml-0-2 ca-certificates zlib1g \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /model-operator /usr/local/bin/model-operator
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/model-operator"]
