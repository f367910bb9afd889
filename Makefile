# questbase — everyday commands. `make run` and `make test` are the two a
# new machine needs (see README).
GO ?= go

.PHONY: run test bench fuzz vet build web

run:
	$(GO) run . serve

test:
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 60m ./...

# Benchmarks print numbers and ratios; nothing is asserted by time.
bench:
	$(GO) test -run '^$$' -bench . -benchmem -timeout 60m ./...

# Short fuzzing of every parser and validator (FUZZTIME=1m for longer).
FUZZTIME ?= 20s
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)

build:
	CGO_ENABLED=0 $(GO) build -trimpath -o questbase .

# The pages: web/ (Vue + Vite) built into pb_public/, which is committed and
# embedded, so `go build` needs no Node. Run after any change under web/
# (a test fails on a stale build).
web:
	cd web && npm ci --no-audit --no-fund && npm run build
