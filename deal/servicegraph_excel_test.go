package deal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/marginalhq/marginal/internal/graph"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// TestServiceGraphExcelLibreOffice: the third back end. The service
// graph's figures are printed as Excel formulas (graph.ExcelPrinter) over
// input cells (a row per month: downtime, long incidents, GMV,
// contribution), recalculated in headless LibreOffice
// (report/testdata/recalc.py), and compared with the exact back end: the
// band edges, a capped month, lost GMV with recovery and the fallback.
// Every figure is rounded to the cent in both, so they must agree to
// within float noise (1e−6). Skipped without LibreOffice, except on CI.
func TestServiceGraphExcelLibreOffice(t *testing.T) {
	t.Parallel()
	py := libreOfficePython(t)
	s := bandService()
	s.Recovery, s.ResponsePenalty = d("0.3"), d("500")
	s.Contingency = &Contingency{FallbackShare: d("0.75"), CostPerHour: d("50"), StandbyMonthly: d("100")}
	type row struct {
		hours            int64
		down, long, g, c string
	}
	rows := []row{
		{720, "0", "0", "100000", "20000"}, {720, "0.72", "0", "100000", "20000"}, {720, "0.7201", "1", "100000", "20000"},
		{720, "7.2", "0", "100000", "20000"}, {720, "7.2001", "2", "100000", "20000"}, {720, "36", "0", "50000", "-4000"},
		{720, "36.0001", "0", "0", "0"}, {720, "800", "3", "100000", "20000"}, {744, "18.6", "1", "80000", "12000"},
	}
	hours := make([]int64, len(rows))
	outs := make([]outage[decimal.Decimal], len(rows))
	gmv, contr := make([]decimal.Decimal, len(rows)), make([]decimal.Decimal, len(rows))
	for i, r := range rows {
		hours[i], outs[i], gmv[i], contr[i] = r.hours, outage[decimal.Decimal]{Hours: d(r.down), LongEvents: d(r.long)}, d(r.g), d(r.c)
	}
	sg := newServiceGraph(s, hours, 2)
	want, err := sg.exact(outs, gmv, contr)
	if err != nil {
		t.Fatal(err)
	}
	over := graph.Overrides{}
	for i := range rows {
		over[graph.DriverMonth{Driver: drvDowntime, Month: int32(i)}] = outs[i].Hours
		over[graph.DriverMonth{Driver: drvLongEvents, Month: int32(i)}] = outs[i].LongEvents
		over[graph.DriverMonth{Driver: drvGMV, Month: int32(i)}] = gmv[i]
		over[graph.DriverMonth{Driver: drvContribution, Month: int32(i)}] = contr[i]
	}
	exact, err := sg.g.Eval(make([]decimal.Decimal, numServiceDrivers), over, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Inputs in columns A–D from row 2; figures from column F.
	p := graph.NewExcelPrinter(sg.g, func(graph.ID) (graph.Ref, bool) { return graph.Ref{}, false },
		func(dr, m int) string { return fmt.Sprintf("$%c$%d", 'A'+dr, m+2) })
	p.Exact = exact
	f := excelize.NewFile()
	const sheet = "Sheet1"
	cell := func(col, r int) string { n, _ := excelize.CoordinatesToCellName(col, r); return n }
	type fig struct {
		name string
		node func(m monthNodes) graph.ID
		w    int
		get  func(f serviceFigures[decimal.Decimal]) decimal.Decimal
	}
	figs := []fig{
		{"credit", func(m monthNodes) graph.ID { return m.credit }, 0, func(f serviceFigures[decimal.Decimal]) decimal.Decimal { return f.Credit }},
		{"penalty", func(m monthNodes) graph.ID { return m.penalty }, 0, func(f serviceFigures[decimal.Decimal]) decimal.Decimal { return f.Penalty }},
		{"lost GMV", func(m monthNodes) graph.ID { return m.lostGMV }, 0, func(f serviceFigures[decimal.Decimal]) decimal.Decimal { return f.LostGMV }},
		{"lost contribution", func(m monthNodes) graph.ID { return m.lostMargin }, 0, func(f serviceFigures[decimal.Decimal]) decimal.Decimal { return f.LostMargin }},
		{"impact", func(m monthNodes) graph.ID { return m.impact }, 0, func(f serviceFigures[decimal.Decimal]) decimal.Decimal { return f.Impact }},
		{"lost GMV, fallback", func(m monthNodes) graph.ID { return m.lostGMV }, 1, func(f serviceFigures[decimal.Decimal]) decimal.Decimal { return f.LostGMV }},
		{"fallback cost", func(m monthNodes) graph.ID { return m.fallback }, 1, func(f serviceFigures[decimal.Decimal]) decimal.Decimal { return f.FallbackCost }},
		{"impact, fallback", func(m monthNodes) graph.ID { return m.impact }, 1, func(f serviceFigures[decimal.Decimal]) decimal.Decimal { return f.Impact }},
	}
	for i := range rows {
		for dr, v := range []decimal.Decimal{outs[i].Hours, outs[i].LongEvents, gmv[i], contr[i]} {
			x, _ := v.Float64()
			if err := f.SetCellFloat(sheet, cell(dr+1, i+2), x, -1, 64); err != nil {
				t.Fatal(err)
			}
		}
		for k, fg := range figs {
			formula, _ := p.Formula(fg.node(sg.fig[fg.w][i]), sheet)
			if err := f.SetCellFormula(sheet, cell(6+k, i+2), formula); err != nil {
				t.Fatal(err)
			}
		}
	}
	path := filepath.Join(t.TempDir(), "service.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(py, filepath.Join("..", "report", "testdata", "recalc.py"), path)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("recalc.py: %v\n%s", err, stderr.String())
	}
	var lo map[string]map[string]struct {
		Value *float64 `json:"value"`
		Text  string   `json:"text"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &lo); err != nil {
		t.Fatalf("recalc.py output: %v\n%s", err, stdout.String())
	}
	for i, r := range rows {
		for k, fg := range figs {
			ref := cell(6+k, i+2)
			w, _ := fg.get(want[fg.w][i]).Float64()
			got, ok := lo[sheet][ref]
			if !ok || got.Value == nil || math.Abs(*got.Value-w) > 1e-6 {
				formula, _ := p.Formula(fg.node(sg.fig[fg.w][i]), sheet)
				t.Errorf("%s down of %d h: %s (%s =%s): LibreOffice %+v, exact %g", r.down, r.hours, fg.name, ref, formula, got, w)
			}
		}
	}
}

// libreOfficePython is the python interpreter that can import uno; the
// test is skipped without LibreOffice, except on CI (CI=true).
func libreOfficePython(t *testing.T) string {
	t.Helper()
	missing := func(why string) {
		t.Helper()
		if os.Getenv("CI") == "true" {
			t.Fatalf("LibreOffice parity check cannot run on CI: %s", why)
		}
		t.Skipf("skipping LibreOffice parity check: %s", why)
	}
	if _, err := exec.LookPath("soffice"); err != nil {
		missing("soffice not found")
	}
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(py, "-c", "import uno").Run() == nil {
			return py
		}
	}
	missing("no python3 with the uno module (python3-uno)")
	return ""
}
