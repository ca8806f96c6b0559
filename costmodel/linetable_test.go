package costmodel

import "testing"

// The line table is consistent: names and labels are unique, every base
// line feeds exactly one subtotal, of its own level, and every subtotal
// reads the subtotal of the level before it (or, for the first, only
// base lines), so the waterfall in the README is the one the model builds.
func TestLineTable(t *testing.T) {
	t.Parallel()
	names, labels := map[string]Line{}, map[string]Line{}
	feeds := map[Line][]Line{}
	for l := Line(0); l < NumLines; l++ {
		in := l.Info()
		if in.Name == "" || in.Label == "" {
			t.Errorf("line %d has no name or label", l)
		}
		if prev, dup := names[in.Name]; dup {
			t.Errorf("%s: name %q also used by %s", l.Label(), in.Name, prev.Label())
		}
		names[in.Name] = l
		if prev, dup := labels[in.Label]; dup {
			t.Errorf("%s: label also used by %s", in.Label, prev)
		}
		labels[in.Label] = l
		if (in.Scale == Derived) != (len(in.Terms) > 0) {
			t.Errorf("%s: scale %d with %d terms", in.Label, in.Scale, len(in.Terms))
		}
		for _, tm := range in.Terms {
			if tm.Line >= l {
				t.Errorf("%s sums %s, which comes after it", in.Label, tm.Line.Label())
			}
			if tm.Sign != 1 && tm.Sign != -1 {
				t.Errorf("%s: sign %d for %s", in.Label, tm.Sign, tm.Line.Label())
			}
			if in.Level != LevelSides {
				// The sides' values read the waterfall's lines beside it.
				feeds[tm.Line] = append(feeds[tm.Line], l)
			}
		}
	}
	for l := Line(0); l < NumLines; l++ {
		in := l.Info()
		if in.Scale == Derived {
			continue
		}
		if in.Level == LevelSides {
			if len(feeds[l]) != 0 {
				t.Errorf("%s, a line of the sides, feeds the waterfall", in.Label)
			}
			continue
		}
		if len(feeds[l]) != 1 {
			t.Errorf("%s feeds %d subtotals, want exactly one", in.Label, len(feeds[l]))
			continue
		}
		if sub := feeds[l][0].Info(); sub.Level != in.Level {
			t.Errorf("%s (level %d) feeds %s (level %d)", in.Label, in.Level, sub.Label, sub.Level)
		}
	}
	// Category and partnership lines and subtotals partition the lines.
	n := len(LinesScaled(PerCategory)) + len(LinesScaled(PerPartnership)) + len(LinesScaled(Derived))
	if n != int(NumLines) {
		t.Errorf("scales cover %d lines, want %d", n, NumLines)
	}
	if got := Line(-1).Info().Name; got != "line?" {
		t.Errorf("Line(-1).Info().Name = %q", got)
	}
	// The README's margin-level table: the P lines.
	want := []Line{LineCommissionTrueUp, LineFulfilmentOverflow, LineMarketingFixed, LineDataTransfer, LineDataTransferOverage,
		LineAPICalls, LineAPIPremium, LineSupport, LineSupportStaff, LineSupportOverflow, LineMaintenance,
		LineOutageLostContribution, LineOutageFallback, LineOutageCredit, LineSetup, LineAmortisation}
	var got []Line
	for _, l := range LinesScaled(PerPartnership) {
		if l.Info().Level != LevelSides {
			got = append(got, l)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("partnership-level lines %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("partnership-level line %d = %s, want %s", i, got[i].Label(), want[i].Label())
		}
	}
}
