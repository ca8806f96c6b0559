package graph

import (
	"fmt"
	"testing"

	"github.com/shopspring/decimal"
)

// printerOf prints g's nodes with the given cells on sheet "S" (other
// sheets by their name) and drivers named d0, d1, …
func printerOf(g *Graph, cells map[ID]Ref) *ExcelPrinter {
	return NewExcelPrinter(g, func(id ID) (Ref, bool) { r, ok := cells[id]; return r, ok },
		func(d, m int) string {
			if m == AllMonths {
				return fmt.Sprintf("d%d", d)
			}
			return fmt.Sprintf("d%d_m%d", d, m)
		})
}

// TestExcelFormulas checks the printed formula of each kind, with the
// parentheses precedence needs and no others, against formulas written by
// hand.
func TestExcelFormulas(t *testing.T) {
	t.Parallel()
	b := NewBuilder(4)
	x, y, z, w := b.Input(0, AllMonths), b.Input(1, AllMonths), b.Input(2, AllMonths), b.Input(3, 5)
	gmv := b.Mul(x, y)                     // has a cell
	refunds := b.Mul(gmv, z)               // has a cell on another sheet
	net := b.Sum([]ID{gmv}, []ID{refunds}) // J2-'Other sheet'!$C$4
	cases := []struct {
		id   ID
		want string
	}{
		{b.Round(b.Sub(x, b.Add(y, z)), 2), "ROUND(d0-(d1+d2),2)"},
		{b.Mul(b.Add(x, y), b.Sub(z, w)), "(d0+d1)*(d2-d3_m5)"},
		{b.Add(x, b.Mul(y, z)), "d0+d1*d2"},
		{b.Neg(b.Add(x, y)), "-(d0+d1)"},
		{b.Div(b.Mul(x, y), b.Add(z, b.One()), 20), "ROUND(d0*d1/(d2+1),20)"},
		{b.Min(b.Min(x, y), b.Max(z, b.Max(w, b.Zero()))), "MIN(d0,d1,MAX(d2,d3_m5,0))"},
		{b.IfLE(x, b.Int(1000), y, b.Mul(y, b.Const(decimal.RequireFromString("0.5")))), "IF(d0<=1000,d1,d1*0.5)"},
		{b.Root12(b.Add(b.One(), x), 30), "ROUND((1+d0)^(1/12),30)"},
		// Rounding a 30-place root to 30 places changes nothing: not written.
		{b.Mul(b.Round(b.Root12(b.Add(b.One(), x), 30), 30), y), "ROUND((1+d0)^(1/12),30)*d1"},
		{b.Round(b.Div(x, y, 4), 2), "ROUND(ROUND(d0/d1,4),2)"},
		{b.Round(net, 2), "ROUND(J2-'Other sheet'!$C$4,2)"},
		{b.Sum([]ID{x}, []ID{y, b.Mul(z, w)}), "SUM(d0,-d1,-d2*d3_m5)"},
		{b.Sum([]ID{x, gmv}, []ID{y}), "d0+J2-d1"},
		{b.Mul(x, b.Sum(nil, []ID{y, z})), "(-d1-d2)*d0"},
		{b.Mul(x, b.Const(decimal.NewFromInt(-3))), "d0*-3"},
	}
	g := b.Graph()
	p := printerOf(g, map[ID]Ref{gmv: {Sheet: "S", Col: 10, Row: 2}, refunds: {Sheet: "Other sheet", Col: 3, Row: 4}})
	for _, c := range cases {
		if got, _ := p.Formula(c.id, "S"); got != c.want {
			t.Errorf("formula = %s, want %s", got, c.want)
		}
	}
	// A node with a cell is written out in its own cell and referred to
	// elsewhere.
	if got, _ := p.Formula(gmv, "S"); got != "d0*d1" {
		t.Errorf("own formula = %s", got)
	}
}

// TestExcelSumRanges checks that a long sum of one column is written with
// ranges, runs broken where the rows are not adjacent.
func TestExcelSumRanges(t *testing.T) {
	t.Parallel()
	b := NewBuilder(40)
	cells := map[ID]Ref{}
	var terms []ID
	for i := range 40 {
		id := b.Mul(b.Input(i, AllMonths), b.Input(i, 3))
		terms = append(terms, id)
		row := 2 + i
		if i >= 30 {
			row += 5 // a gap
		}
		cells[id] = Ref{Sheet: "S", Col: 10, Row: row}
	}
	s := b.Sum(terms, nil)
	p := printerOf(b.Graph(), cells)
	if got, want := first(p.Formula(s, "S")), "SUM(J2:J31,J37:J46)"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if got, want := first(p.Formula(s, "T")), "SUM('S'!$J$2:$J$31,'S'!$J$37:$J$46)"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	// A sum with a range of its own is written as SUM of the range.
	cells[s] = Ref{Sheet: "S", Col: 10, Row: 2, Rows: 45}
	twice := b.Mul(s, b.Input(0, AllMonths))
	total := b.Sum([]ID{s, terms[0]}, nil)
	p = printerOf(b.Graph(), cells)
	if got, want := first(p.Formula(twice, "S")), "SUM(J2:J46)*d0"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if got, want := first(p.Formula(total, "T")), "SUM('S'!$J$2:$J$46)+'S'!$J$2"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func first(s string, _ bool) string { return s }

// TestExcelTieBias checks that a money amount on a half cent is biased
// towards the side the exact rounding took, a comparison of equal amounts
// towards the branch taken, and other amounts not at all.
func TestExcelTieBias(t *testing.T) {
	t.Parallel()
	b := NewBuilder(2)
	x, y := b.Input(0, AllMonths), b.Input(1, AllMonths)
	r := b.Round(b.Mul(x, y), 2)
	c := b.IfLE(b.Mul(x, y), b.Int(1000), x, y)
	g := b.Graph()
	p := printerOf(g, nil)
	for _, k := range []struct {
		x, y     string
		round    string
		ifle     string
		isBiased bool
	}{
		// 1.005 × 3 = 3.015: exactly half a cent, rounded up to 3.02.
		{"1.005", "3", "ROUND(d0*d1+1E-7,2)", "IF(d0*d1<=1000,d0,d1)", true},
		{"-1.005", "3", "ROUND(d0*d1-1E-7,2)", "IF(d0*d1<=1000,d0,d1)", true},
		{"1.004", "3", "ROUND(d0*d1,2)", "IF(d0*d1<=1000,d0,d1)", false},
		// 333.3333333333 × 3 = 999.9999999999 ≤ 1000, by less than the window.
		{"333.3333333333", "3", "ROUND(d0*d1,2)", "IF(d0*d1<=1000+1E-4,d0,d1)", true},
		{"250", "4", "ROUND(d0*d1,2)", "IF(d0*d1<=1000+1E-4,d0,d1)", true},
		{"250.0000000001", "4", "ROUND(d0*d1,2)", "IF(d0*d1<=1000-1E-4,d0,d1)", true},
		{"250.01", "4", "ROUND(d0*d1,2)", "IF(d0*d1<=1000,d0,d1)", false},
	} {
		vals, err := g.Eval([]decimal.Decimal{decimal.RequireFromString(k.x), decimal.RequireFromString(k.y)}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		p.Exact = vals
		gotR, br := p.Formula(r, "S")
		gotC, bc := p.Formula(c, "S")
		if gotR != k.round || gotC != k.ifle || (br || bc) != k.isBiased {
			t.Errorf("%s × %s: %s (%v), %s (%v); want %s, %s", k.x, k.y, gotR, br, gotC, bc, k.round, k.ifle)
		}
	}
}

// TestExcelHelpers checks which nodes get helper cells: a figure shared by
// several cells does, a short product of names does not, a figure used
// once is written out, and a figure used once by a node that is itself
// written into two cells counts as used twice.
func TestExcelHelpers(t *testing.T) {
	t.Parallel()
	b := NewBuilder(4)
	x, y, z := b.Input(0, AllMonths), b.Input(1, AllMonths), b.Input(2, AllMonths)
	perOrder := b.Add(b.Mul(x, y), z)      // shared by both lines: a helper
	short := b.Mul(x, z)                   // shared but short: written out
	once := b.Max(b.Mul(y, z), b.Zero())   // used once: written out
	inner := b.Min(b.Mul(y, y), b.Int(7))  // used once by twice, below
	twice := b.IfLE(inner, x, b.One(), y)  // used by both lines: a helper
	n1, n2 := b.Input(3, 0), b.Input(3, 1) // two months' orders
	l1 := b.Round(b.Mul(b.Mul(n1, perOrder), b.Add(short, twice)), 2)
	l2 := b.Round(b.Add(b.Mul(n2, perOrder), b.Add(b.Mul(short, once), twice)), 2)
	g := b.Graph()
	p := printerOf(g, map[ID]Ref{l1: {Sheet: "S", Col: 5, Row: 2}, l2: {Sheet: "S", Col: 5, Row: 3}})
	hs := p.Helpers([]ID{l1, l2}, func(id ID) int {
		if id == l1 {
			return 0
		}
		return 1
	})
	var got []ID
	for _, h := range hs {
		got = append(got, h.ID)
		if h.First != 0 || h.Last != 1 {
			t.Errorf("helper %d used by keys %d to %d, want 0 to 1", h.ID, h.First, h.Last)
		}
	}
	if want := []ID{perOrder, twice}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("helpers %v, want %v", got, want)
	}
	cells := map[ID]Ref{l1: {Sheet: "S", Col: 5, Row: 2}, l2: {Sheet: "S", Col: 5, Row: 3}, perOrder: {Sheet: "H", Col: 2, Row: 1}, twice: {Sheet: "H", Col: 2, Row: 2}}
	p = printerOf(g, cells)
	if f, _ := p.Formula(l2, "S"); f != "ROUND(d3_m1*'H'!$B$1+d0*d2*MAX(d1*d2,0)+'H'!$B$2,2)" {
		t.Errorf("l2 = %s", f)
	}
	if f, _ := p.Formula(twice, "H"); f != "IF(MIN(d1*d1,7)<=d0,1,d1)" {
		t.Errorf("helper = %s", f)
	}
}

func TestColName(t *testing.T) {
	t.Parallel()
	for c, want := range map[int]string{1: "A", 26: "Z", 27: "AA", 52: "AZ", 53: "BA", 702: "ZZ", 703: "AAA", 16384: "XFD"} {
		if got := colName(c); got != want {
			t.Errorf("colName(%d) = %s, want %s", c, got, want)
		}
	}
}
