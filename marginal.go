// Package marginal is the home of Marginal, a library for the economics of
// marketplace partnerships. The work is done by its packages:
//
//   - costmodel: the exact monthly statement of a portfolio of partnerships
//   - scenario: scenarios, sensitivity, goal seek and fair revenue share
//   - montecarlo: simulation of contribution margins under uncertainty
//   - report: the finance workbook and CSV exports
//
// This package holds the sample data the example programs run on: a
// fictional brand's portfolio (testdata/larkspur.json) with its
// uncertainty, scenario and trajectory files, embedded so that the
// examples need no files.
package marginal

import (
	"bytes"
	_ "embed"

	"github.com/marginalhq/marginal/costmodel"
)

// Version is the library's version, written into every workbook.
const Version = "0.1.0"

var (
	//go:embed testdata/larkspur.json
	samplePortfolio []byte
	//go:embed testdata/specs/larkspur.uncertainty.json
	sampleUncertainty []byte
	//go:embed testdata/specs/larkspur.scenarios.json
	sampleScenarios []byte
	//go:embed testdata/specs/larkspur.trajectories.json
	sampleTrajectories []byte
)

// SamplePortfolio returns the sample portfolio: Larkspur Home & Beauty, a
// fictional brand selling through an Amazon-like, an eBay-like and an
// Etsy-like marketplace, its own shop and a catalogue-syndication partner,
// over 36 months from January 2026.
func SamplePortfolio() (*costmodel.Portfolio, error) {
	return costmodel.Load(bytes.NewReader(samplePortfolio))
}

// SampleUncertainty returns the JSON uncertainty spec of the sample
// portfolio (montecarlo.Load reads it).
func SampleUncertainty() []byte { return bytes.Clone(sampleUncertainty) }

// SampleScenarios returns the JSON scenarios of the sample portfolio
// (scenario.Load reads them).
func SampleScenarios() []byte { return bytes.Clone(sampleScenarios) }

// SampleTrajectories returns the JSON growth trajectories of the sample
// portfolio — "stay domestic", "add a marketplace", "open the EU lane"
// (scenario.LoadTrajectories reads them).
func SampleTrajectories() []byte { return bytes.Clone(sampleTrajectories) }
