// Package progress draws the example programs' progress bar on stderr:
// the stage, a bar, the share done, the elapsed time and an estimate of
// the time left. It draws only on a terminal, or when asked, so that
// tests and CI logs stay clean.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Bar is a progress bar on one line of a terminal. The zero value draws
// nothing. Its methods are called from one goroutine at a time.
type Bar struct {
	w     io.Writer
	on    bool
	tty   bool
	now   func() time.Time
	stage string
	start time.Time
	last  time.Time
	drawn bool
	// lastDone is the units done at the last Update (off a terminal).
	lastDone int
}

// New is a bar drawing on w when w is a terminal, or whenever force is
// set (on a file or a pipe it then writes a line at each quarter instead
// of redrawing one line).
func New(w io.Writer, force bool) *Bar {
	b := &Bar{w: w, now: time.Now}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			b.tty = true
		}
	}
	b.on = b.tty || force
	return b
}

// Update reports that done of total units (trials, evaluations) of stage
// are done. A new stage restarts the clock.
func (b *Bar) Update(stage string, done, total int) {
	if b == nil || !b.on || total <= 0 {
		return
	}
	now := b.now()
	if stage != b.stage {
		b.finishLine()
		b.stage, b.start, b.last, b.lastDone = stage, now, time.Time{}, 0
	}
	done = max(0, min(done, total))
	if b.tty {
		if now.Sub(b.last) < 100*time.Millisecond && done < total {
			return
		}
		b.last = now
		fmt.Fprintf(b.w, "\r%s", b.line(done, total, now))
		b.drawn = true
		return
	}
	// Not a terminal: a line at each quarter, and at the end.
	if q := 4 * done / total; (done == total && b.lastDone < total) || q > 4*b.lastDone/total {
		fmt.Fprintln(b.w, b.line(done, total, now))
	}
	b.lastDone = done
}

// Done ends the bar's line.
func (b *Bar) Done() {
	if b != nil {
		b.finishLine()
		b.stage = ""
	}
}

func (b *Bar) finishLine() {
	if b.drawn {
		fmt.Fprintln(b.w)
		b.drawn = false
	}
}

// line is the bar's text: "monte carlo [#####...] 45%  4,500/10,000
// elapsed 3s  left about 4s".
func (b *Bar) line(done, total int, now time.Time) string {
	const width = 30
	n := width * done / total
	elapsed := now.Sub(b.start)
	s := fmt.Sprintf("%s [%s%s] %3d%%  %s/%s  elapsed %s", b.stage, strings.Repeat("#", n), strings.Repeat(".", width-n),
		100*done/total, count(done), count(total), Duration(elapsed))
	switch {
	case done == total:
	case done == 0:
		s += "  left: estimating"
	default:
		left := time.Duration(float64(elapsed) * float64(total-done) / float64(done))
		s += "  left about " + Duration(left)
	}
	return s
}

// Duration is a duration as a person reads it: "0.4s", "12s", "3m05s",
// "1h02m".
func Duration(d time.Duration) string {
	switch {
	case d < 10*time.Second:
		return fmt.Sprintf("%.1fs", d.Seconds())
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Round(time.Second).Seconds()))
	case d < time.Hour:
		d = d.Round(time.Second)
		return fmt.Sprintf("%dm%02ds", int(d/time.Minute), int(d%time.Minute/time.Second))
	}
	d = d.Round(time.Minute)
	return fmt.Sprintf("%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

// count is a count with thousands separators.
func count(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
