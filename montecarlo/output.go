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
	months []int // the window's months (every month for the horizon)
	cc     []cell
}

// layout is where the places of a portfolio are: its partnerships, and
// the channels and category IDs they roll up into. A place's cells are
// (partnership, category) pairs, category −1 for a partnership's own
// lines; the statement graph (costmodel.Model) numbers their rows.
type layout struct {
	months     int
	start      costmodel.Month
	parts      []placePart
	channels   []string
	chanParts  [][]int // partnerships of each channel
	categories []string
	catCells   [][]cell // cells of each category ID
	partByID   map[string]int
	chanByKey  map[string]int
	catByKey   map[string]int
	allocated  bool // the portfolio has allocation rules (an allocated view)
}

// placePart is one partnership of a layout.
type placePart struct {
	id, channel string
	cats        int // its number of categories
}

// cell is category cat of partnership part, or its own lines (cat −1).
type cell struct{ part, cat int }

func newLayout(p *costmodel.Portfolio) *layout {
	l := &layout{months: p.Months, start: p.Start, partByID: map[string]int{}, chanByKey: map[string]int{}, catByKey: map[string]int{},
		allocated: len(p.Allocation) > 0}
	chans := map[string][]int{}
	cats := map[string][]cell{}
	for i := range p.Partnerships {
		ps := &p.Partnerships[i]
		l.parts = append(l.parts, placePart{id: ps.ID, channel: ps.Channel, cats: len(ps.Categories)})
		l.partByID[ps.ID] = i
		chans[ps.Channel] = append(chans[ps.Channel], i)
		for j := range ps.Categories {
			id := ps.Categories[j].ID
			cats[id] = append(cats[id], cell{i, j})
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
		l.catCells = append(l.catCells, cats[k])
	}
	return l
}

// places lists the portfolio, partnerships, channels and categories.
func (l *layout) places() []scenario.Place {
	out := []scenario.Place{{Scope: scenario.Portfolio}}
	for _, ps := range l.parts {
		out = append(out, scenario.Place{Scope: scenario.Partnership, Key: ps.id})
	}
	for _, k := range l.channels {
		out = append(out, scenario.Place{Scope: scenario.Channel, Key: k})
	}
	for _, k := range l.categories {
		out = append(out, scenario.Place{Scope: scenario.Category, Key: k})
	}
	return out
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
		if op.out.View == costmodel.Unallocated {
			op.out.View = "" // one spelling of the unallocated view, for Result.Output
		}
		months, err := o.CheckShape(l.start, l.months)
		if err != nil {
			pr.Merge(at, err)
			continue
		}
		if o.View.IsAllocated() && !l.allocated {
			pr.Add(at+".view", `"allocated"`, "unallocated, or allocation rules in the portfolio (allocation) for the allocated view")
			continue
		}
		op.months = months
		ok := true
		switch op.scope {
		case scenario.Portfolio:
		case scenario.Partnership:
			op.idx, ok = l.partByID[o.Key]
		case scenario.Channel:
			op.idx, ok = l.chanByKey[o.Key]
		case scenario.Category:
			op.idx, ok = l.catByKey[o.Key]
		default: // channel × category: the category's cells in the channel's partnerships
			ch, cat, _ := costmodel.SplitChannelCategory(o.Key)
			if c, found := l.catByKey[cat]; found {
				for _, x := range l.catCells[c] {
					if l.parts[x.part].channel == ch {
						op.cc = append(op.cc, x)
					}
				}
			}
			ok = len(op.cc) > 0
		}
		if !ok {
			pr.Add(at+".key", quote(o.Key), fmt.Sprintf("the key of a %s of the portfolio", op.scope))
			continue
		}
		// The line an amount or a ratio reads (NPV and payback read the
		// net cash flow month by month).
		op.line, _ = o.Metric.Line()
		op.ratio = o.Metric.IsRatio()
		plans = append(plans, op)
	}
	return plans
}

// canBeUndefined reports whether the output may be undefined in a trial:
// a ratio (zero net sales) or a payback month (never reached).
func (op *outPlan) canBeUndefined() bool { return op.ratio || op.metric == scenario.PaybackMonth }
