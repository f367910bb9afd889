package main

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"questbase/hooks/config"
)

// No Docker engine runs on the build machines, so these tests check what
// can be checked without one: the image's build command yields a static
// binary, the Dockerfile keeps its promises, and compose and the README
// name only variables questbase reads, and all of them.

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDockerfileBuildsAStaticBinary(t *testing.T) {
	df := read(t, "Dockerfile")
	m := regexp.MustCompile(`RUN (CGO_ENABLED=0 go build [^\n]+) -o /out/questbase \.`).FindStringSubmatch(df)
	if m == nil {
		t.Fatal("Dockerfile does not build with CGO_ENABLED=0")
	}
	out := filepath.Join(t.TempDir(), "questbase")
	// the same shell line the image runs, with a local output path
	cmd := exec.Command("sh", "-c", m[1]+" -o "+out+" .")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	f, err := elf.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Fatal("binary is dynamically linked; it would not run on the Alpine runtime image")
		}
	}
	for _, want := range []string{"USER questbase", "VOLUME /app/pb_data", "/api/health", "HEALTHCHECK"} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
}

func TestComposeAndReadmeNameEveryVariable(t *testing.T) {
	known := map[string]bool{}
	for _, v := range config.Variables {
		known[v] = true
	}
	compose := read(t, "docker-compose.yml")
	for _, m := range regexp.MustCompile(`(?m)^\s+(QB_[A-Z0-9_]+):`).FindAllStringSubmatch(compose, -1) {
		if !known[m[1]] {
			t.Errorf("docker-compose.yml sets %s, which questbase does not read", m[1])
		}
	}
	for _, svc := range []string{"questbase:", "postgres:", "minio:", "minio-init:", "mc mb --ignore-existing"} {
		if !strings.Contains(compose, svc) {
			t.Errorf("docker-compose.yml lacks %q", svc)
		}
	}
	readme := read(t, "README.md")
	for _, v := range config.Variables {
		if !strings.Contains(readme, "`"+v+"`") {
			t.Errorf("README does not document %s", v)
		}
	}
}
