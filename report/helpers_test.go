package report

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

var sheetNameTests = []struct {
	name string
	in   string
	used []string
	want string
}{
	{"plain", "Summary", nil, "Summary"},
	{"empty", "", nil, "Sheet"},
	{"forbidden characters", `a:b\c/d?e*f[g]h`, nil, "a_b_c_d_e_f_g_h"},
	{"apostrophes at ends", "'Quoted'", nil, "Quoted"},
	{"apostrophe inside kept", "Partner's view", nil, "Partner's view"},
	{"only apostrophes", "'''", nil, "Sheet"},
	{"reserved History", "history", nil, "history_"},
	{"long", strings.Repeat("x", 40), nil, strings.Repeat("x", 31)},
	{"long runes", strings.Repeat("é", 40), nil, strings.Repeat("é", 31)},
	{"astral counts two", strings.Repeat("😀", 20), nil, strings.Repeat("😀", 15)},
	{"duplicate", "Summary", []string{"summary"}, "Summary (2)"},
	{"duplicate twice", "Summary", []string{"summary", "summary (2)"}, "Summary (3)"},
	{"duplicate long", strings.Repeat("y", 31), []string{strings.Repeat("y", 31)}, strings.Repeat("y", 27) + " (2)"},
	{"ends in apostrophe after cut", strings.Repeat("z", 30) + "'x", nil, strings.Repeat("z", 30)},
	{"control character", "a\tb", nil, "a_b"},
}

func TestSheetName(t *testing.T) {
	t.Parallel()
	for _, tt := range sheetNameTests {
		used := map[string]bool{}
		for _, u := range tt.used {
			used[u] = true
		}
		got := sheetName(tt.in, used)
		if got != tt.want {
			t.Errorf("%s: sheetName(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
		if !used[strings.ToLower(got)] {
			t.Errorf("%s: %q not recorded as used", tt.name, got)
		}
		// excelize applies Excel's rules too: the name must be accepted.
		f := excelize.NewFile()
		if _, err := f.NewSheet(got); err != nil {
			t.Errorf("%s: excelize refuses %q: %v", tt.name, got, err)
		}
		if n := len(utf16.Encode([]rune(got))); n > 31 {
			t.Errorf("%s: %q is %d UTF-16 units long", tt.name, got, n)
		}
		f.Close()
	}
}

var csvSafeTests = []struct {
	in, want string
}{
	{"", ""},
	{"Amazon US", "Amazon US"},
	{"=1+2", "'=1+2"},
	{"+1", "'+1"},
	{"-12.50", "'-12.50"},
	{"@SUM(A1)", "'@SUM(A1)"},
	{"\t=cmd", "'\t=cmd"},
	{"\r=cmd", "'\r=cmd"},
	{"a=b", "a=b"},
	{"'already", "'already"},
	{" =1", " =1"},
}

func TestCSVSafe(t *testing.T) {
	t.Parallel()
	for _, tt := range csvSafeTests {
		if got := csvSafe(tt.in); got != tt.want {
			t.Errorf("csvSafe(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTextNeverFormula checks what excelize does with text that starts like
// a formula: SetCellStr, SetCellValue and StreamWriter.SetRow must all store
// text, never a formula.
func TestTextNeverFormula(t *testing.T) {
	t.Parallel()
	inputs := []string{"=1+2", "+A1", "-A1", "@SUM(A1:A2)", "\t=1", "\r=1", `=HYPERLINK("http://example.com","x")`}
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewSheet("Stream"); err != nil {
		t.Fatal(err)
	}
	sw, err := f.NewStreamWriter("Stream")
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range inputs {
		row := []any{textCell(s, 0, st.Text), s}
		if err := sw.SetRow("A"+itoa(i+1), row); err != nil {
			t.Fatal(err)
		}
		if err := setText(f, "Sheet1", "A"+itoa(i+1), s, st.Text); err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellValue("Sheet1", "B"+itoa(i+1), s); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := saveDeterministic(f, &buf); err != nil {
		t.Fatal(err)
	}
	cells, err := cachedFormulaCells(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(cells) != 0 {
		t.Fatalf("text stored as formulas: %+v", cells)
	}
	g, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	for _, sheet := range []string{"Sheet1", "Stream"} {
		for i, s := range inputs {
			for _, col := range []string{"A", "B"} {
				cell := col + itoa(i+1)
				if fm, _ := g.GetCellFormula(sheet, cell); fm != "" {
					t.Errorf("%s!%s: formula %q", sheet, cell, fm)
				}
				got, err := g.GetCellValue(sheet, cell)
				if err != nil {
					t.Fatal(err)
				}
				// Tabs and carriage returns survive; excelize may escape \r.
				if got != s && strings.ReplaceAll(got, "_x000D_", "\r") != s {
					t.Errorf("%s!%s = %q, want %q", sheet, cell, got, s)
				}
			}
		}
	}
	// The first column carries the text format, so that editing keeps text.
	if id, _ := g.GetCellStyle("Sheet1", "A1"); id != st.Text {
		t.Errorf("Sheet1!A1 style %d, want text style %d", id, st.Text)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

var currencyFormatTests = []struct {
	code  string
	minor int
	want  string
}{
	{"USD", 2, `"$"#,##0.00;[Red]-"$"#,##0.00`},
	{"usd", 2, `"$"#,##0.00;[Red]-"$"#,##0.00`},
	{"EUR", 2, `"€"#,##0.00;[Red]-"€"#,##0.00`},
	{"GBP", 2, `"£"#,##0.00;[Red]-"£"#,##0.00`},
	{"JPY", 0, `"¥"#,##0;[Red]-"¥"#,##0`},
	{"JPY", 2, `"¥"#,##0;[Red]-"¥"#,##0`},
	{"CHF", 2, `"CHF "#,##0.00;[Red]-"CHF "#,##0.00`},
	{"KWD", 3, `"KWD "#,##0.000;[Red]-"KWD "#,##0.000`},
	{"XYZ", -1, `"XYZ "#,##0;[Red]-"XYZ "#,##0`},
}

func TestCurrencyFormat(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range currencyFormatTests {
		if got := currencyFormat(tt.code, tt.minor); got != tt.want {
			t.Errorf("currencyFormat(%q, %d) = %s, want %s", tt.code, tt.minor, got, tt.want)
		}
		id, err := st.Money(tt.code, tt.minor)
		if err != nil || id == 0 {
			t.Errorf("Money(%q): id %d, %v", tt.code, id, err)
		}
		again, _ := st.Money(tt.code, tt.minor)
		if again != id {
			t.Errorf("Money(%q) registered twice: %d, %d", tt.code, id, again)
		}
		if _, err := st.InputMoney(tt.code, tt.minor); err != nil {
			t.Errorf("InputMoney(%q): %v", tt.code, err)
		}
	}
	// Excel shows -1234.5 in red as -$1,234.50: check the rendering excelize
	// gives (it ignores the colour).
	usd, _ := st.Money("USD", 2)
	if err := f.SetCellFloat("Sheet1", "A1", -1234.5, -1, 64); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle("Sheet1", "A1", "A1", usd); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.GetCellValue("Sheet1", "A1"); got != "-$1,234.50" {
		t.Errorf("-1234.5 shown as %q, want -$1,234.50", got)
	}
	for name, id := range map[string]int{"Header": st.Header, "Input": st.Input, "Percent": st.Percent,
		"Integer": st.Integer, "InputPercent": st.InputPercent, "InputInteger": st.InputInteger, "Text": st.Text} {
		if id == 0 {
			t.Errorf("style %s not registered", name)
		}
	}
	s, err := f.GetStyle(st.Input)
	if err != nil || s.Font == nil || s.Font.Color != inputFont || len(s.Fill.Color) == 0 || s.Fill.Color[0] != inputFill {
		t.Errorf("input style %+v (%v): want blue font on light yellow", s, err)
	}
}

var definedNameTests = []struct {
	address, want string
	bad           bool
}{
	{address: "amazon-us/toys/orders", want: "amazon..us.toys.orders"},
	{address: "amazon_us/toys/orders", want: "amazon_us.toys.orders"},
	{address: "amazon-us/commission/rate", want: "amazon..us.commission.rate"},
	{address: "portfolio/discount_rate", want: "portfolio.discount_rate"},
	{address: "1688-cn/toys/orders", want: "_1688..cn.toys.orders"},
	{address: "ab12", want: "_ab12"},
	{address: "xfd1048576", want: "_xfd1048576"},
	{address: "r1c1", want: "_r1c1"},
	{address: "r", want: "_r"},
	{address: "c", want: "_c"},
	{address: "rc", want: "_rc"},
	{address: "ab12/orders", want: "_ab12.orders"},
	{address: "a1-b/orders", want: "_a1..b.orders"},
	{address: "ab-12/orders", want: "ab..12.orders"},
	{address: "shop/c/orders", want: "shop.c.orders"},
	{address: "r/orders", want: "_r.orders"},
	{address: "abcd12", want: "abcd12"},
	{address: "a--b/c-/d", want: "a....b.c...d"},
	{address: "", bad: true},
	{address: "Amazon-US/toys/orders", bad: true},
	{address: "café/prix", bad: true},
	{address: "a b/c*d", bad: true},
	{address: "a//b", bad: true},
	{address: "a/-b", bad: true},
	{address: "a/_b", bad: true},
	{address: "/a", bad: true},
}

func TestDefinedName(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	defer f.Close()
	for _, tt := range definedNameTests {
		got, err := definedName(tt.address)
		if tt.bad {
			if err == nil {
				t.Errorf("definedName(%q) = %q, want an error", tt.address, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("definedName(%q) = %q, %v; want %q", tt.address, got, err, tt.want)
			continue
		}
		if back, ok := driverAddress(got); !ok || back != tt.address {
			t.Errorf("driverAddress(%q) = %q, %v; want %q", got, back, ok, tt.address)
		}
		if err := f.SetDefinedName(&excelize.DefinedName{Name: got, RefersTo: "Sheet1!$A$1"}); err != nil {
			t.Errorf("excelize refuses %q: %v", got, err)
		}
	}
}

// Names that definedName does not produce are no driver's.
func TestDriverAddressRefuses(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"", "_", "__", "ab12.orders", "_amazon.x", "r.orders", "1688.x", "a.-b", "A.b",
		"amazon_us.toys.orders_", "a..", "__0123456789abcdef0123456789abcdef"} {
		if addr, ok := driverAddress(name); ok {
			if again, _ := definedName(addr); again != name {
				t.Errorf("driverAddress(%q) = %q, but that address's name is %q", name, addr, again)
			}
		}
	}
	for _, name := range []string{"", "_", "__", "ab12.orders", "_amazon.x", "r.orders", "1688.x", "A.b", "__0123456789abcdef0123456789abcdef"} {
		if addr, ok := driverAddress(name); ok {
			t.Errorf("driverAddress(%q) = %q, want none", name, addr)
		}
	}
}

// slugAlphabet is every character an ID may hold (costmodel's slug rule:
// [a-z0-9][a-z0-9_-]{0,62}).
const slugAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789-_"

// randomID is a valid ID, biased towards the characters that collide
// under a careless mapping ('-', '_', digits, r and c).
func randomID(r *rand.Rand) string {
	n := 1 + r.IntN(8)
	if r.IntN(20) == 0 {
		n = 63
	}
	b := make([]byte, n)
	for i := range b {
		switch k := r.IntN(10); {
		case k < 3:
			b[i] = "-_"[r.IntN(2)]
		case k < 5:
			b[i] = "rc01"[r.IntN(4)]
		default:
			b[i] = slugAlphabet[r.IntN(len(slugAlphabet))]
		}
	}
	if b[0] == '-' || b[0] == '_' {
		b[0] = "a1"[r.IntN(2)]
	}
	return string(b)
}

// Generated addresses of valid IDs round-trip through the name, and no two
// distinct addresses share a name, even compared as Excel does
// (case-insensitively).
func TestDefinedNameInjective(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	byName := map[string]string{}
	keys := []string{"orders", "return_rate", "commission/tier/1/rate", "seasonality/jan", "maintenance/%s/hourly_rate", "setup/%s/amount"}
	for range 20000 {
		addr := randomID(r) + "/"
		if r.IntN(2) == 0 {
			addr += randomID(r) + "/"
		}
		key := keys[r.IntN(len(keys))]
		if strings.Contains(key, "%s") {
			key = fmt.Sprintf(key, randomID(r))
		}
		addr += key
		name, err := definedName(addr)
		if err != nil {
			t.Fatalf("definedName(%q): %v", addr, err)
		}
		if len(name) > maxDefinedName {
			t.Fatalf("definedName(%q) = %d characters", addr, len(name))
		}
		if prev, ok := byName[strings.ToLower(name)]; ok && prev != addr {
			t.Fatalf("%q and %q both give %q", prev, addr, name)
		}
		byName[strings.ToLower(name)] = addr
		back, ok := driverAddress(name)
		if long := strings.HasPrefix(name, "__"); long != !ok || ok && back != addr {
			t.Fatalf("driverAddress(definedName(%q) = %q) = %q, %v", addr, name, back, ok)
		}
	}
	// Every pair of one-character-different IDs the slug allows.
	for _, x := range slugAlphabet {
		for _, y := range slugAlphabet {
			if x == y {
				continue
			}
			a, b := "a"+string(x)+"b/x/orders", "a"+string(y)+"b/x/orders"
			na, _ := definedName(a)
			nb, _ := definedName(b)
			if strings.EqualFold(na, nb) {
				t.Errorf("%q and %q both give %q", a, b, na)
			}
		}
	}
}

// The longest addresses of a valid portfolio (63-character IDs of one
// letter and 62 hyphens) still give a name Excel takes.
func TestDefinedNameLong(t *testing.T) {
	t.Parallel()
	id := "a" + strings.Repeat("-", 62)
	id2 := "b" + strings.Repeat("-", 62)
	f := excelize.NewFile()
	defer f.Close()
	seen := map[string]bool{}
	for _, addr := range []string{id + "/" + id2 + "/fulfilment_cost", id2 + "/" + id + "/fulfilment_cost", id + "/maintenance/" + id2 + "/hourly_rate"} {
		name, err := definedName(addr)
		if err != nil || len(name) > maxDefinedName || seen[name] {
			t.Errorf("definedName(%q) = %q, %v", addr, name, err)
		}
		seen[name] = true
		if err := f.SetDefinedName(&excelize.DefinedName{Name: name, RefersTo: "Sheet1!$A$1"}); err != nil {
			t.Errorf("excelize refuses %q: %v", name, err)
		}
	}
}

func TestAddDriverNameCollision(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	defer f.Close()
	var d driverNames
	if _, err := d.addDriverName(f, "amazon-us/toys/orders", "Sheet1!$B$2"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.addDriverName(f, "amazon_us/toys/orders", "Sheet1!$B$3"); err != nil {
		t.Errorf("amazon_us beside amazon-us: %v", err)
	}
	if _, err := d.addDriverName(f, "amazon-us/toys/orders", "Sheet1!$B$4"); err == nil {
		t.Error("the same address twice: no error")
	}
	names := f.GetDefinedName()
	if len(names) != 2 || names[0].Comment != "amazon-us/toys/orders" || names[1].Comment != "amazon_us/toys/orders" {
		t.Errorf("defined names %+v, want two with the address as comment", names)
	}
}

var futureFunctionTests = []struct{ in, want string }{
	{"PERCENTILE.INC(A1:A9,0.5)", "_xlfn.PERCENTILE.INC(A1:A9,0.5)"},
	{"=percentile.inc(A1:A9,0.5)", "_xlfn.percentile.inc(A1:A9,0.5)"},
	{"_xlfn.PERCENTILE.INC(A1:A9,0.5)", "_xlfn.PERCENTILE.INC(A1:A9,0.5)"},
	{"IFS(A1>0,1,TRUE,0)+IFNA(B1,0)", "_xlfn.IFS(A1>0,1,TRUE,0)+_xlfn.IFNA(B1,0)"},
	{"MAXIFS(A:A,B:B,1)/MINIFS(A:A,B:B,1)", "_xlfn.MAXIFS(A:A,B:B,1)/_xlfn.MINIFS(A:A,B:B,1)"},
	{"SUMIFS(A:A,B:B,1)", "SUMIFS(A:A,B:B,1)"},
	{"MYIFS(1)", "MYIFS(1)"},
	{`IF(A1,"IFS(x)",STDEV.S(B1:B3))`, `IF(A1,"IFS(x)",_xlfn.STDEV.S(B1:B3))`},
}

func TestFutureFunctionPrefix(t *testing.T) {
	t.Parallel()
	for _, tt := range futureFunctionTests {
		if got := excelFormula(tt.in); got != tt.want {
			t.Errorf("excelFormula(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if twice := excelFormula(excelFormula(tt.in)); twice != tt.want {
			t.Errorf("excelFormula not idempotent on %q: %q", tt.in, twice)
		}
	}
}

func TestFormulaValueRefusesNaN(t *testing.T) {
	t.Parallel()
	for _, v := range []any{nan(), inf(), float32(1), nil} {
		if _, err := formulaValue("A1", v, 0); err == nil {
			t.Errorf("formulaValue accepted %v", v)
		}
	}
}

func nan() float64 { var z float64; return z / z }
func inf() float64 { var z float64; return 1 / z }
