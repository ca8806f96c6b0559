package costmodel

import (
	"encoding/json"
	"fmt"
	"time"
)

// Month is a calendar month, written "2026-01" in JSON. The zero value is
// not a valid month; Validate reports it.
type Month struct {
	Year  int
	Month time.Month
}

// ParseMonth parses "YYYY-MM".
func ParseMonth(s string) (Month, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return Month{}, fmt.Errorf("month %q: expected YYYY-MM", s)
	}
	return Month{Year: t.Year(), Month: t.Month()}, nil
}

// String formats the month as "YYYY-MM".
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month)) }

// IsZero reports whether m is the zero Month.
func (m Month) IsZero() bool { return m.Year == 0 && m.Month == 0 }

// valid reports whether m is a real month in a sensible range.
func (m Month) valid() bool {
	return m.Year >= 1900 && m.Year <= 9999 && m.Month >= time.January && m.Month <= time.December
}

// lastMonth is the last month of Excel's calendar (its last date is
// 9999-12-31); no horizon may run past it.
var lastMonth = Month{Year: 9999, Month: time.December}

// index counts months from year 0.
func (m Month) index() int { return m.Year*12 + int(m.Month) - 1 }

// after reports whether m is later than o.
func (m Month) after(o Month) bool { return m.index() > o.index() }

// Add returns the month n months after m (n may be negative).
func (m Month) Add(n int) Month {
	idx := m.Year*12 + int(m.Month) - 1 + n
	return Month{Year: idx / 12, Month: time.Month(idx%12 + 1)}
}

// MarshalJSON writes "YYYY-MM".
func (m Month) MarshalJSON() ([]byte, error) { return json.Marshal(m.String()) }

// UnmarshalJSON reads "YYYY-MM".
func (m *Month) UnmarshalJSON(b []byte) error {
	if m == nil {
		return fmt.Errorf("month: UnmarshalJSON into a nil *Month")
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("month: expected a string \"YYYY-MM\"")
	}
	v, err := ParseMonth(s)
	if err != nil {
		return err
	}
	*m = v
	return nil
}
