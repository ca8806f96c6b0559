package marginal

import (
	"bytes"
	_ "embed"
)

var (
	//go:embed testdata/larkspur.actuals.csv
	sampleActuals []byte
	//go:embed testdata/specs/larkspur.agreements.json
	sampleAgreements []byte
	//go:embed testdata/specs/larkspur.deal.json
	sampleDeal []byte
)

// SampleActuals returns a sample year (2026) of actuals for the sample
// portfolio, in the long-form CSV actuals.ReadCSV reads, with the
// deviations a health check should find (a return-rate spike at
// amazon-us clothing, feedlink's API calls past the agreed allowance and
// its missed minimum guarantee, an outage, an over-billed month at ebay).
func SampleActuals() []byte { return bytes.Clone(sampleActuals) }

// SampleAgreements returns the agreed metrics of the sample portfolio's
// partnerships (actuals.ReadAgreements reads them).
func SampleAgreements() []byte { return bytes.Clone(sampleAgreements) }

// SampleDeal returns the sample deal terms of the sample portfolio: staged
// funding of the amazon-us integration with an orders milestone, service
// credits and a partner hazard (deal.Load reads them).
func SampleDeal() []byte { return bytes.Clone(sampleDeal) }
