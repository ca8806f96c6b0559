package costmodel_test

import (
	"fmt"

	"github.com/marginalhq/marginal/costmodel"
)

// An output is a metric of a scope over a window of months: here the
// marketplaces' CM3 ratio over the whole horizon and over the peak
// (November and December of every year), and the Amazon-like
// marketplace's beauty GMV in the fourth quarter of 2026.
func ExampleOutput_Of() {
	p, err := costmodel.LoadFile("../testdata/larkspur.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	st, err := costmodel.Evaluate(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, o := range []costmodel.Output{
		{Scope: costmodel.ScopeChannel, Key: "marketplace", Metric: costmodel.MetricCM3Ratio},
		{Scope: costmodel.ScopeChannel, Key: "marketplace", Metric: costmodel.MetricCM3Ratio, Window: costmodel.Peak()},
		{Scope: costmodel.ScopeChannelCategory, Key: "marketplace/beauty", Metric: costmodel.MetricGMV,
			Window: costmodel.Window{Kind: costmodel.WindowQuarter, Year: 2026, Quarter: 4}},
	} {
		v, err := o.Of(st)
		if err != nil {
			fmt.Println(err)
			return
		}
		if o.Metric.IsRatio() {
			fmt.Printf("%s: %s\n", o, v.Amount.Shift(2).StringFixed(1)+" %")
			continue
		}
		fmt.Printf("%s: %s\n", o, v.Amount.StringFixed(2))
	}
	// Output:
	// channel marketplace cm3_ratio: 26.1 %
	// channel marketplace cm3_ratio over peak (11, 12): 26.6 %
	// channel_category marketplace/beauty gmv over 2026-Q4: 174215.72
}
