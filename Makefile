# model-operator: the commands a newcomer runs. `make demo` and `make test` install what is missing.
SWIFT ?= swift
APT_PACKAGES := libcurl4-openssl-dev libssl-dev libyaml-dev pkg-config zlib1g-dev
BIN_RELEASE := .build/release/model-operator
# The development tool (LocalCluster and the demo); not part of the operator's image.
LOCAL_CLUSTER := .build/debug/local-cluster
# `make demo ONCE=1` exits after printing the table; `make bench FILTER=placement` runs one benchmark.
ONCE ?=
FILTER ?=

# `make e2e E2E_KUBECONFIG=path` runs the end-to-end tests against that cluster; the knobs below
# are exported as they are (empty means unset). README.md: "End-to-end tests against a real cluster".
E2E_KUBECONFIG ?=
export E2E_KUBECONFIG E2E_TIMEOUT_SCALE E2E_SERVING_IMAGE E2E_SERVING_ARGS E2E_FETCH_IMAGE E2E_ARCHIVE_BASE_URL \
  E2E_IMAGE_MODEL E2E_SIMULATED_PODS

.PHONY: deps build release test e2e e2e-external bench demo local-cluster clean

## deps: install the system libraries (apt-get) when any is missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
	@command -v $(SWIFT) >/dev/null || { echo "swift is not on PATH: install the Swift 6 toolchain (https://www.swift.org/install/linux/)"; exit 1; }

## build: debug build of everything.
build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product model-operator

## test: build and run every test suite.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## e2e: the end-to-end tests, against LocalCluster or, with E2E_KUBECONFIG=path, against that cluster.
e2e: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --filter EndToEndTests

## e2e-external: the real-cluster code path against `local-cluster serve` run as a process
## (demo nodes, simulated Deployment availability), on a kubeconfig in a temporary directory.
e2e-external: deps
	$(SWIFT) build --build-tests
	@dir=$$(mktemp -d); \
	$(LOCAL_CLUSTER) serve --demo-nodes --simulate-deployments --kubeconfig $$dir/kubeconfig >$$dir/local-cluster.log 2>&1 & \
	cluster=$$!; \
	for i in $$(seq 100); do [ -s $$dir/kubeconfig ] && break; sleep 0.1; done; \
	E2E_KUBECONFIG=$$dir/kubeconfig E2E_SIMULATED_PODS=1 $(SWIFT) test --skip-build --filter EndToEndTests; \
	status=$$?; kill $$cluster; wait $$cluster; rm -rf $$dir; exit $$status

# `make bench FILTER=race BENCH_RACE_MODELS=n BENCH_KUBECONFIG=path BENCH_RACE_PERF=file`: the race
# of issue 14 (README.md); empty means unset.
BENCH_KUBECONFIG ?=
export BENCH_KUBECONFIG BENCH_RACE_MODELS BENCH_RACE_PERF

## bench: release build, then every benchmark with units and ratios.
bench: deps
	$(SWIFT) build -c release --product model-operator
	$(SWIFT) build -c release --product Benchmarks
	.build/release/Benchmarks $(if $(FILTER),--filter $(FILTER),)

## demo: LocalCluster, simulated nodes, sample models on 127.0.0.1, the operator; Ctrl-C stops.
demo: deps
	$(SWIFT) build --product local-cluster
	$(LOCAL_CLUSTER) demo $(if $(ONCE),--once,)

## local-cluster: only the embedded API server, for kubectl experiments.
local-cluster: deps
	$(SWIFT) build --product local-cluster
	$(LOCAL_CLUSTER) serve

clean:
	rm -rf .build
