package report_test

import (
	"context"
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"

	"github.com/marginalhq/marginal"
	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/samplereview"
	"github.com/marginalhq/marginal/report"
	"github.com/marginalhq/marginal/scenario"
	"github.com/xuri/excelize/v2"
)

// The quickstart's review of the sample portfolio, run by Compute: the
// exact base case and scenarios, the guardrails checked on each, a Monte
// Carlo run (here 500 trials), the tornado and the renegotiation.
func ExampleSpecs_Compute() {
	p, err := marginal.SamplePortfolio()
	if err != nil {
		log.Fatal(err)
	}
	specs, _, err := samplereview.Specs(p)
	if err != nil {
		log.Fatal(err)
	}
	specs.Trials = 500
	opt, err := specs.Compute(context.Background(), p, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("base contribution", opt.Statement.Portfolio.Total[costmodel.LineContribution].StringFixed(2))
	for _, s := range opt.Comparison.Scenarios {
		r, _ := opt.Comparison.Find(s.Name, scenario.Output{Metric: scenario.Contribution})
		fmt.Printf("%-20s %s\n", s.Name, r.Delta.Amount.StringFixed(2))
	}
	fmt.Println("guardrail breaches", len(opt.Breaches))
	o, _ := opt.Simulation.Output(scenario.Output{Metric: scenario.Contribution})
	fmt.Printf("%d trials, seed %d: P50 contribution %.1f million\n", opt.Simulation.Trials, opt.Simulation.Seed, math.Round(o.Percentile(0.5)/1e5)/10)
	fmt.Println("largest swing:", opt.Tornado.Bars[0].Label)
	if fs := opt.Fairness; fs.HasRange {
		fmt.Println("a bargaining range exists; Nash rate", fs.Nash.Amount.Shift(2).StringFixed(2)+"%")
	}
	fmt.Println("the workbook records the specs:", opt.Specs != nil && opt.Specs.Trials == 500)
	// Output:
	// base contribution 3887662.41
	// peak-season          193121.45
	// competitive-shift    -144818.89
	// partner-outage       -3568.48
	// fee-change           -127706.37
	// cost-shock-shipping  -111705.84
	// guardrail breaches 11
	// 500 trials, seed 20261127: P50 contribution 3.8 million
	// largest swing: */*/unit_cost
	// a bargaining range exists; Nash rate 13.05%
	// the workbook records the specs: true
}

// The round trip: the workbook a review wrote, edited on its Assumptions
// sheet, gives back the edited portfolio and the specs it was made from,
// so the review runs again on the edit with nothing else.
func ExampleReadReview() {
	_, book, err := sampleReview() // the quickstart's workbook
	if err != nil {
		log.Fatal(err)
	}
	f, err := excelize.OpenReader(bytesReader(book))
	if err != nil {
		log.Fatal(err)
	}
	// The edit, as a person makes it in Excel: FeedLink's commission
	// from 5 % to 4.5 %.
	rows, _ := f.GetRows(report.SheetAssumptions)
	for i, row := range rows {
		if len(row) > 0 && row[0] == "feedlink/commission/rate" {
			_ = f.SetCellValue(report.SheetAssumptions, fmt.Sprintf("F%d", i+1), 0.045)
		}
	}
	dir, err := os.MkdirTemp("", "readreview")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "edited.xlsx")
	if err := f.SaveAs(path); err != nil {
		log.Fatal(err)
	}
	f.Close()

	p, specs, err := report.ReadReview(path, nil)
	if err != nil {
		log.Fatal(err)
	}
	d, _ := p.Driver("feedlink/commission/rate")
	fmt.Println(p.Name, "— feedlink/commission/rate", d.Value)
	for _, s := range specs.Scenarios {
		fmt.Println("scenario", s.Name, "with", len(s.Shocks), "shocks")
	}
	for _, g := range specs.Guardrails {
		fmt.Println("guardrail", g.Name)
	}
	fmt.Println("trials", specs.Trials, "seed", specs.Seed, "fans", len(specs.Fans))
	fmt.Println("tornado inputs", len(specs.Tornado.Inputs))
	fmt.Println("renegotiation with", specs.Renegotiation.Partnership+":", specs.Renegotiation.Proposed.Description)
	// Half a point less commission: $13,765.20 more contribution, half a
	// per cent of the $2,753,040 on which FeedLink is paid.
	before, _ := marginal.SamplePortfolio()
	for _, port := range []*costmodel.Portfolio{before, p} {
		st, err := costmodel.Evaluate(port)
		if err != nil {
			log.Fatal(err)
		}
		ps, _ := st.Partnership("feedlink")
		fmt.Println("feedlink contribution", ps.Total.Total[costmodel.LineContribution].StringFixed(2))
	}
	// Output:
	// Larkspur Home & Beauty: channel portfolio 2026-2028 — feedlink/commission/rate 0.045
	// scenario peak-season with 3 shocks
	// scenario competitive-shift with 3 shocks
	// scenario partner-outage with 5 shocks
	// scenario fee-change with 1 shocks
	// scenario cost-shock-shipping with 1 shocks
	// guardrail CM3 ratio ≥ 15 % per category
	// guardrail peak CM3 ratio ≥ 10 % per category
	// guardrail contribution ≥ 0 per partnership
	// guardrail payback within 12 months
	// trials 1000 seed 20261127 fans 1
	// tornado inputs 8
	// renegotiation with feedlink: 4 % revenue share, $5,000 monthly minimum
	// feedlink contribution 1174091.10
	// feedlink contribution 1187856.30
}
