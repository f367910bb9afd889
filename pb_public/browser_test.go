package pbpublic_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

const chromiumPath = "/usr/bin/chromium"

// needChromium skips a browser test on a machine without Chromium, unless
// QB_REQUIRE_SERVICES=1 (CI), where a missing browser fails.
func needChromium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("QB_REQUIRE_SERVICES") == "1" {
			t.Fatalf("chromium is required (QB_REQUIRE_SERVICES=1): %v", err)
		}
		t.Skipf("no chromium at %s (set QB_REQUIRE_SERVICES=1 to fail instead)", chromiumPath)
	}
}

// page is one browser tab on the app under test.
type page struct {
	t    *testing.T
	ctx  context.Context
	base string
	reqs *requestLog
}

// requestLog keeps every URL the browser asked for.
type requestLog struct {
	mu   sync.Mutex
	urls []string
}

func (l *requestLog) add(u string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.urls = append(l.urls, u)
}

func (l *requestLog) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.urls...)
}

type browserOpts struct {
	camera string // a .y4m file the fake camera plays
}

// newBrowser starts headless Chromium with a phone-sized viewport. Host
// names do not resolve in it (only 127.0.0.1 is reachable), and when the
// test ends every request it made must have gone to the app under test:
// the pages load nothing from the internet.
func newBrowser(t *testing.T, a *app, o browserOpts) *page {
	t.Helper()
	needChromium(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"),
		chromedp.Env("TZ=UTC"),
	)
	if o.camera != "" {
		opts = append(opts,
			chromedp.Flag("use-fake-ui-for-media-stream", true),
			chromedp.Flag("use-fake-device-for-media-stream", true),
			chromedp.Flag("use-file-for-fake-video-capture", o.camera),
		)
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })

	p := &page{t: t, ctx: ctx, base: a.url, reqs: &requestLog{}}
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("start chromium: %v", err)
	}
	p.watchRequests()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.checkRequestsStayedLocal)
	return p
}

// tab opens another tab of the same browser (same storage, same sign-in).
func (p *page) tab() *page {
	p.t.Helper()
	ctx, cancel := chromedp.NewContext(p.ctx)
	p.t.Cleanup(cancel)
	q := &page{t: p.t, ctx: ctx, base: p.base, reqs: p.reqs}
	if err := chromedp.Do(ctx); err != nil {
		p.t.Fatal(err)
	}
	q.watchRequests()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844)); err != nil {
		p.t.Fatal(err)
	}
	return q
}

// watchRequests logs every request of the tab, and every uncaught
// JavaScript exception, which fails the test.
func (p *page) watchRequests() {
	err := chromedp.Listen(p.ctx, func(ev any) {
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			p.reqs.add(e.Request.URL)
		case *cdpruntime.EventExceptionThrown:
			d := e.ExceptionDetails
			msg := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				msg = d.Exception.Description
			}
			p.t.Errorf("uncaught exception in the page: %s (%s:%d)", msg, d.URL, d.LineNumber)
		}
	})
	if err != nil {
		p.t.Fatal(err)
	}
}

func (p *page) checkRequestsStayedLocal() {
	base, _ := url.Parse(p.base)
	for _, u := range p.reqs.all() {
		pu, err := url.Parse(u)
		if err != nil {
			p.t.Errorf("unparsable request URL %q", u)
			continue
		}
		switch pu.Scheme {
		case "data", "blob", "about":
			continue
		}
		if pu.Host != base.Host {
			p.t.Errorf("the page requested %s: pages must load nothing from outside the app", u)
		}
	}
}

func (p *page) requested(substr string) bool {
	for _, u := range p.reqs.all() {
		if strings.Contains(u, substr) {
			return true
		}
	}
	return false
}

func (p *page) do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.shot("failed")
		p.t.Fatalf("browser: %v", err)
	}
}

func (p *page) open(path string) {
	p.t.Helper()
	p.do(chromedp.Navigate(p.base + path))
}

// eval runs JavaScript and decodes its value.
func eval[T any](p *page, js string) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("eval %s: %v", js, err)
	}
	return v
}

// wait polls a JavaScript condition until it is truthy.
func (p *page) wait(what, js string, timeout time.Duration) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, timeout+5*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](js,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(timeout)))
	if err != nil {
		p.shot("timeout")
		body := eval[string](p, `document.querySelector("main")?.innerText || document.body.innerText`)
		p.t.Fatalf("waiting for %s (%s): %v\npage text:\n%s", what, js, err, body)
	}
}

// waitFor waits until a CSS selector matches a visible element.
func (p *page) waitFor(sel string) {
	p.t.Helper()
	p.wait(sel, fmt.Sprintf(`(() => { const e = document.querySelector(%s); return !!e && e.offsetParent !== null })()`, js(sel)), 15*time.Second)
}

func (p *page) click(sel string) {
	p.t.Helper()
	p.waitFor(sel)
	p.do(chromedp.Click(chromedp.CSS(sel)))
}

// fill sets a field the way typing does (input and change events), which
// also works for date and select fields.
func (p *page) fill(sel, value string) {
	p.t.Helper()
	p.waitFor(sel)
	ok := eval[bool](p, fmt.Sprintf(`(() => {
		const e = document.querySelector(%s);
		if (!e) return false;
		e.value = %s;
		e.dispatchEvent(new Event("input", { bubbles: true }));
		e.dispatchEvent(new Event("change", { bubbles: true }));
		return true;
	})()`, js(sel), js(value)))
	if !ok {
		p.t.Fatalf("no field %s", sel)
	}
}

func (p *page) text(sel string) string {
	p.t.Helper()
	p.waitFor(sel)
	return eval[string](p, fmt.Sprintf(`document.querySelector(%s).innerText`, js(sel)))
}

// shot saves a screenshot to $QB_SCREENSHOTS (when set) for a person to look at.
func (p *page) shot(name string) {
	dir := os.Getenv("QB_SCREENSHOTS")
	if dir == "" {
		return
	}
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return
	}
	os.WriteFile(filepath.Join(dir, strings.ReplaceAll(p.t.Name(), "/", "_")+"_"+name+".png"), buf, 0o644)
}

// signIn fills the staff sign-in form on the current page.
func (p *page) signIn(email, password string) {
	p.t.Helper()
	p.fill("#signin-email", email)
	p.fill("#signin-password", password)
	p.click("#signin-submit")
}

// js quotes a Go string as a JavaScript string literal.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func chromedpReload() chromedp.Action[chromedp.Void] { return chromedp.Reload() }

func uploadFiles(sel string, files ...string) chromedp.Action[chromedp.Void] {
	return chromedp.SetUploadFiles(chromedp.CSS(sel), files)
}

// beforeScripts runs js in every document of the tab before the page's own
// scripts (to stand in for what Telegram injects).
func (p *page) beforeScripts(source string) {
	p.t.Helper()
	if _, err := chromedp.Call(p.ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: source}); err != nil {
		p.t.Fatal(err)
	}
}
