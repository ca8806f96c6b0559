package montecarlo

import (
	"fmt"
	"sort"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/scenario"
)

// DefaultMetrics are the metrics recorded for every place when
// Options.Outputs is nil.
var DefaultMetrics = []scenario.Metric{scenario.CM1, scenario.CM2, scenario.CM3,
	scenario.Contribution, scenario.ContributionRatio, scenario.NPV, scenario.PaybackMonth}

// outPlan is an output resolved against a compiled portfolio.
type outPlan struct {
	out    scenario.Output
	scope  scenario.Scope
	idx    int // partnership, channel or category index
	metric scenario.Metric
	line   costmodel.Line
	ratio  bool
}

// layout is where the places of a compiled portfolio are.
type layout struct {
	months      int
	parts       []costmodel.CompiledPartnership
	channels    []string
	chanParts   [][]int // partnerships of each channel
	categories  []string
	catRows     [][]int // rows of each category ID
	partByID    map[string]int
	chanByKey   map[string]int
	catByKey    map[string]int
	needChannel bool
	needCat     bool
}

func newLayout(c *costmodel.Compiled) *layout {
	l := &layout{months: c.Months(), parts: c.Partnerships(), partByID: map[string]int{}, chanByKey: map[string]int{}, catByKey: map[string]int{}}
	chans := map[string][]int{}
	cats := map[string][]int{}
	for i, ps := range l.parts {
		l.partByID[ps.ID] = i
		chans[ps.Channel] = append(chans[ps.Channel], i)
		for j, id := range ps.Categories {
			cats[id] = append(cats[id], ps.Row+j)
		}
	}
	for k := range chans {
		l.channels = append(l.channels, k)
	}
	sort.Strings(l.channels)
	for i, k := range l.channels {
		l.chanByKey[k] = i
		l.chanParts = append(l.chanParts, chans[k])
	}
	for k := range cats {
		l.categories = append(l.categories, k)
	}
	sort.Strings(l.categories)
	for i, k := range l.categories {
		l.catByKey[k] = i
		l.catRows = append(l.catRows, cats[k])
	}
	return l
}

// places lists the portfolio, partnerships, channels and categories.
func (l *layout) places() []scenario.Place {
	out := []scenario.Place{{Scope: scenario.Portfolio}}
	for _, ps := range l.parts {
		out = append(out, scenario.Place{Scope: scenario.Partnership, Key: ps.ID})
	}
	for _, k := range l.channels {
		out = append(out, scenario.Place{Scope: scenario.Channel, Key: k})
	}
	for _, k := range l.categories {
		out = append(out, scenario.Place{Scope: scenario.Category, Key: k})
	}
	return out
}

var metricLine = map[scenario.Metric]costmodel.Line{
	scenario.GMV: costmodel.LineGMV, scenario.NetSales: costmodel.LineNetSales,
	scenario.CM1: costmodel.LineCM1, scenario.CM2: costmodel.LineCM2, scenario.CM3: costmodel.LineCM3,
	scenario.Contribution: costmodel.LineContribution, scenario.NetCashFlow: costmodel.LineNetCashFlow,
	scenario.CM1Ratio: costmodel.LineCM1, scenario.CM2Ratio: costmodel.LineCM2,
	scenario.CM3Ratio: costmodel.LineCM3, scenario.ContributionRatio: costmodel.LineContribution,
}

// resolve checks the outputs and plans their extraction.
func (l *layout) resolve(outs []scenario.Output, path string, pr *costmodel.Problems) []outPlan {
	var plans []outPlan
	for i, o := range outs {
		at := fmt.Sprintf("%s[%d]", path, i)
		op := outPlan{out: o, scope: o.Scope, metric: o.Metric}
		if op.scope == "" {
			op.scope = scenario.Portfolio
			op.out.Scope = scenario.Portfolio
		}
		ok := true
		switch op.scope {
		case scenario.Portfolio:
		case scenario.Partnership:
			op.idx, ok = l.partByID[o.Key]
		case scenario.Channel:
			op.idx, ok = l.chanByKey[o.Key]
			l.needChannel = l.needChannel || ok
		case scenario.Category:
			op.idx, ok = l.catByKey[o.Key]
			l.needCat = l.needCat || ok
		default:
			pr.Add(at+".scope", quote(o.Scope), "portfolio, partnership, channel or category")
			continue
		}
		if !ok {
			pr.Add(at+".key", quote(o.Key), fmt.Sprintf("the key of a %s of the portfolio", op.scope))
			continue
		}
		if line, found := metricLine[o.Metric]; found {
			op.line = line
			op.ratio = o.Metric.IsRatio()
		} else if o.Metric != scenario.NPV && o.Metric != scenario.PaybackMonth {
			pr.Add(at+".metric", quote(o.Metric), "a metric such as contribution, cm3, contribution_ratio, npv, payback_month")
			continue
		}
		plans = append(plans, op)
	}
	return plans
}

// aggregates are the per-trial sums of channels and categories.
type aggregates struct {
	chanTot, catTot []float64 // [index*L + line]
	chanCF, catCF   []float64 // [index*M + t]
}

func (l *layout) newAggregates() *aggregates {
	L, M := int(costmodel.NumLines), l.months
	return &aggregates{
		chanTot: make([]float64, len(l.channels)*L), catTot: make([]float64, len(l.categories)*L),
		chanCF: make([]float64, len(l.channels)*M), catCF: make([]float64, len(l.categories)*M),
	}
}

// fill computes the channel and category sums of one evaluation.
func (l *layout) fill(a *aggregates, r *costmodel.FloatResult) {
	L, M := int(costmodel.NumLines), l.months
	if l.needChannel {
		clear(a.chanTot)
		clear(a.chanCF)
		for c, parts := range l.chanParts {
			tot := a.chanTot[c*L : (c+1)*L]
			cf := a.chanCF[c*M : (c+1)*M]
			for _, i := range parts {
				pt := r.PartnershipTotals[i*L : (i+1)*L]
				for k := range tot {
					tot[k] += pt[k]
				}
				pcf := r.PartnershipCashFlow[i*M : (i+1)*M]
				for t := range cf {
					cf[t] += pcf[t]
				}
			}
		}
	}
	if l.needCat {
		clear(a.catTot)
		clear(a.catCF)
		for c, rows := range l.catRows {
			tot := a.catTot[c*L : (c+1)*L]
			cf := a.catCF[c*M : (c+1)*M]
			for _, row := range rows {
				rt := r.RowTotals[row*L : (row+1)*L]
				for k := range tot {
					tot[k] += rt[k]
				}
				for t := range cf {
					cf[t] += r.Lines[(row*M+t)*L+int(costmodel.LineNetCashFlow)]
				}
			}
		}
	}
}

// canBeUndefined reports whether the output may be undefined in a trial:
// a ratio (zero net sales) or a payback month (never reached).
func (op *outPlan) canBeUndefined() bool { return op.ratio || op.metric == scenario.PaybackMonth }

// value reads one output of one evaluation; ok is false when it is
// undefined (a ratio over zero net sales, a payback not reached within
// the horizon), and v is then 0, a placeholder never counted as a value.
func (op *outPlan) value(l *layout, a *aggregates, r *costmodel.FloatResult) (v float64, ok bool) {
	L, M := int(costmodel.NumLines), l.months
	var tot, cf []float64
	npv, payback := 0.0, 0
	direct := false
	switch op.scope {
	case scenario.Portfolio:
		tot, npv, payback, direct = r.Total[:], r.NPV, r.Payback, true
	case scenario.Partnership:
		tot, npv, payback, direct = r.PartnershipTotals[op.idx*L:(op.idx+1)*L], r.PartnershipNPV[op.idx], r.PartnershipPayback[op.idx], true
	case scenario.Channel:
		tot, cf = a.chanTot[op.idx*L:(op.idx+1)*L], a.chanCF[op.idx*M:(op.idx+1)*M]
	default:
		tot, cf = a.catTot[op.idx*L:(op.idx+1)*L], a.catCF[op.idx*M:(op.idx+1)*M]
	}
	switch op.metric {
	case scenario.NPV:
		if direct {
			return npv, true
		}
		df := r.DiscountFactors()
		s := 0.0
		for t, v := range cf {
			s += v * df[t]
		}
		return s, true
	case scenario.PaybackMonth:
		if !direct {
			payback = 0
			cum := 0.0
			started := false // as costmodel.PaybackMonth: from the first non-zero flow
			for t, v := range cf {
				cum += v
				started = started || v != 0
				if started && cum >= 0 {
					payback = t + 1
					break
				}
			}
		}
		if payback == 0 {
			return 0, false // not within the horizon
		}
		return float64(payback), true
	}
	if op.ratio {
		ns := tot[costmodel.LineNetSales]
		if ns == 0 {
			return 0, false
		}
		return tot[op.line] / ns, true
	}
	return tot[op.line], true
}
