package progress

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// fakeClock advances by step at each reading.
func fakeClock(step time.Duration) func() time.Time {
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return func() time.Time { t = t.Add(step); return t }
}

func TestBarOffTerminal(t *testing.T) {
	var w bytes.Buffer
	b := New(&w, false)
	b.Update("monte carlo", 5, 10)
	b.Done()
	if w.Len() != 0 {
		t.Errorf("a bar not asked for and not on a terminal wrote %q", w.String())
	}
	var nilBar *Bar
	nilBar.Update("x", 1, 2) // must not panic
	nilBar.Done()
}

func TestBarForced(t *testing.T) {
	var w bytes.Buffer
	b := New(&w, true)
	b.now = fakeClock(time.Second)
	// start at the first call (t=1s); each call is one second later
	for done := 0; done <= 8; done++ {
		b.Update("monte carlo", done*1250, 10000)
	}
	b.Done()
	lines := strings.Split(strings.TrimSpace(w.String()), "\n")
	if len(lines) != 4 { // 25 %, 50 %, 75 %, 100 %
		t.Fatalf("want a line per quarter, got %d:\n%s", len(lines), w.String())
	}
	// At 2,500 of 10,000 trials after 2 s, the 7,500 left take about 6 s.
	if !strings.Contains(lines[0], "2,500/10,000") || !strings.Contains(lines[0], "elapsed 2.0s") || !strings.Contains(lines[0], "left about 6.0s") {
		t.Errorf("first quarter: %q", lines[0])
	}
	if !strings.Contains(lines[3], "100%") || strings.Contains(lines[3], "left") {
		t.Errorf("last line: %q", lines[3])
	}
}

func TestBarTerminal(t *testing.T) {
	var w bytes.Buffer
	b := &Bar{w: &w, on: true, tty: true, now: fakeClock(time.Second)}
	b.Update("tornado", 0, 17)
	b.Update("tornado", 17, 17)
	b.Update("monte carlo", 1, 4)
	b.Done()
	s := w.String()
	if !strings.HasPrefix(s, "\rtornado [") || !strings.Contains(s, "left: estimating") || strings.Count(s, "\n") != 2 || !strings.Contains(s, "\rmonte carlo [") {
		t.Errorf("terminal output %q", s)
	}
}

func TestDuration(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{{400 * time.Millisecond, "0.4s"}, {12 * time.Second, "12s"}, {185 * time.Second, "3m05s"}, {62 * time.Minute, "1h02m"}} {
		if got := Duration(c.d); got != c.want {
			t.Errorf("Duration(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}
