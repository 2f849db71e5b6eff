package main

import (
	"bytes"
	"flag"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vetplan/healthplan/internal/protocol"
)

var (
	loadFor     = flag.Duration("load", 0, "run TestLoad for this long (0 skips it)")
	loadClients = flag.Int("load.clients", 8, "TestLoad's concurrent clients")
)

// TestLoad is the load test: -load.clients clients commit, for -load, a
// two-line visit on a contract with 200 committed lines, against the
// command running as its own process on a loopback port. It fails on any
// error, or when the server's memory keeps growing; it prints the
// throughput, the latencies and the memory.
//
//	go test ./examples/serve -run TestLoad -load 10s -v
func TestLoad(t *testing.T) {
	if *loadFor <= 0 {
		t.Skip("run with -load DURATION")
	}
	cmd, url, logs := process(t)
	post(t, url+"/v1/terms", "application/json", termsOf(t))
	req := commitRequest(t, protocol.New(protocol.Options{}))
	_, want := post(t, url+"/v1/commit", "application/json", req)
	if !bytes.HasPrefix(want, []byte(`{"id":"bench","result"`)) {
		t.Fatalf("the commit is refused: %s", want)
	}

	type sample struct {
		at  time.Duration
		rss int64
	}
	var (
		mu        sync.Mutex
		latencies []time.Duration
		errs      int
		firstErr  string
		rss       []sample
	)
	start := time.Now()
	deadline := start.Add(*loadFor)
	stop := make(chan struct{})
	go func() { // the server's resident memory, twice a second
		for {
			if n, err := residentKiB(cmd.Process.Pid); err == nil {
				mu.Lock()
				rss = append(rss, sample{time.Since(start), n})
				mu.Unlock()
			}
			select {
			case <-stop:
				return
			case <-time.After(500 * time.Millisecond):
			}
		}
	}()
	var wg sync.WaitGroup
	for c := 0; c < *loadClients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 10 * time.Second}
			var mine []time.Duration
			for time.Now().Before(deadline) {
				t0 := time.Now()
				r, _ := http.NewRequest(http.MethodPost, url+"/v1/commit", bytes.NewReader(req))
				r.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(r)
				var body bytes.Buffer
				if err == nil {
					body.ReadFrom(resp.Body)
					resp.Body.Close()
				}
				d := time.Since(t0)
				if err != nil || resp.StatusCode != 200 || !bytes.Equal(body.Bytes(), want) {
					mu.Lock()
					if errs++; firstErr == "" {
						firstErr = fmt.Sprint(err, body.String())
					}
					mu.Unlock()
					continue
				}
				mine = append(mine, d)
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(stop)

	slices.Sort(latencies)
	pct := func(p float64) time.Duration {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[min(len(latencies)-1, int(p*float64(len(latencies))))]
	}
	rate := float64(len(latencies)) / elapsed.Seconds()
	fmt.Printf("load: %d clients, %v, %d commits on a 200-line contract, %d errors\n", *loadClients, elapsed.Round(time.Millisecond), len(latencies), errs)
	fmt.Printf("load: %.0f requests/s (%.0f per core, %d cores shared by server and clients), p50 %v, p99 %v, max %v\n",
		rate, rate/float64(runtime.NumCPU()), runtime.NumCPU(), pct(0.50).Round(time.Microsecond), pct(0.99).Round(time.Microsecond), pct(1).Round(time.Microsecond))
	var line []string
	for _, s := range rss {
		line = append(line, fmt.Sprintf("%.1fs %d", s.at.Seconds(), s.rss/1024))
	}
	fmt.Printf("load: server resident memory (MiB): %s\n", strings.Join(line, ", "))
	if errs > 0 {
		t.Errorf("%d errors; the first: %s", errs, firstErr)
	}
	if len(latencies) == 0 {
		t.Fatal("no request succeeded")
	}
	// Steady: after the first quarter (warm-up), memory stays within
	// 25% (and 16 MiB) of where it was.
	if len(rss) >= 4 {
		ref := rss[len(rss)/4].rss
		peak := int64(0)
		for _, s := range rss[len(rss)/4:] {
			peak = max(peak, s.rss)
		}
		if peak > ref+max(ref/4, 16<<10) {
			t.Errorf("the server's memory grew from %d to %d MiB under a steady load", ref/1024, peak/1024)
		}
	}
	if strings.Contains(logs.b.String(), `"level":"ERROR"`) {
		t.Errorf("the server logged errors:\n%s", logs.b.String())
	}
}

// residentKiB is a process's resident memory, from /proc.
func residentKiB(pid int) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("no VmRSS for %d", pid)
}
