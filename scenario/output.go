package scenario

import (
	"github.com/marginalhq/marginal/costmodel"
)

// The outputs of a statement are costmodel's (costmodel/outputs.go): these
// names are kept so that callers of scenario compile unchanged.

// Scope says where in the statement an output is read.
type Scope = costmodel.Scope

// The scopes of a statement.
const (
	Portfolio       = costmodel.ScopePortfolio
	Partnership     = costmodel.ScopePartnership
	Channel         = costmodel.ScopeChannel
	Category        = costmodel.ScopeCategory // a category ID rolled up over partnerships
	ChannelCategory = costmodel.ScopeChannelCategory
)

// Metric is a figure read from a statement.
type Metric = costmodel.Metric

// The metrics of a statement (costmodel.Metric).
const (
	GMV               = costmodel.MetricGMV
	NetSales          = costmodel.MetricNetSales
	CM1               = costmodel.MetricCM1
	CM2               = costmodel.MetricCM2
	CM3               = costmodel.MetricCM3
	Contribution      = costmodel.MetricContribution
	NetCashFlow       = costmodel.MetricNetCashFlow
	CM1Ratio          = costmodel.MetricCM1Ratio
	CM2Ratio          = costmodel.MetricCM2Ratio
	CM3Ratio          = costmodel.MetricCM3Ratio
	ContributionRatio = costmodel.MetricContributionRatio
	NPV               = costmodel.MetricNPV
	PaybackMonth      = costmodel.MetricPaybackMonth
	// Orders is a volume (costmodel.MetricOrders), not in Metrics.
	Orders = costmodel.MetricOrders
)

// Metrics lists every metric, in the order comparisons show them.
var Metrics = costmodel.Metrics

// Value is a metric's value, which may be undefined.
type Value = costmodel.Value

// Output names one figure of a statement over a window of months.
type Output = costmodel.Output

// Window is a set of months an output is read over.
type Window = costmodel.Window

// evalAll evaluates portfolios on all cores, in input order, and reports
// every failure, each under its label (labels[i] names ps[i]).
func evalAll(ps []*costmodel.Portfolio, labels ...string) ([]*costmodel.Statement, error) {
	return evalAllProgress(ps, nil, labels...)
}
