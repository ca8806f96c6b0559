package costmodel

import (
	"fmt"

	"github.com/marginalhq/marginal/internal/graph"
	"github.com/shopspring/decimal"
)

// OrderTake says that a share of a partnership's orders is taken from
// other partnerships' orders (cannibalisation): a new marketplace whose
// customers partly bought through the brand's other channels before.
//
// Convention. Share is a fraction of the taking partnership's own orders
// in each month (its demand: orders × seasonality × ramp × growth, before
// any capacity throttle), and the source loses exactly that many orders
// in that month (to the digit when the source is one category; over
// several, each row's part is a quotient to 20 places):
//
//	taken(t)       = Share × orders of the taker(t)
//	source row(t) ← max(0, row(t) − Σ row(t) × taken(t) / orders of the source(t))
//
// over the takes that name the row's partnership or channel. A source of
// several categories (or a channel of several partnerships) loses the
// taken orders in proportion to each row's orders that month, so every
// category keeps its price mix and per-order economics. The shares of a
// taker sum to at most 1: with a sum of 1 the portfolio's total orders do
// not change (the new channel only moves demand), with a sum s < 1 they
// grow by (1 − s) × the taker's orders (the incremental part). A source
// cannot lose more orders than it has: where the taken orders exceed
// them (a draw of a simulation can make them) the source has none that
// month and the total grows by the excess; at the portfolio's values
// Validate does not check this, the statement shows it.
//
// Give Partnership or Channel, not both. Channel takes from every other
// partnership of that channel. Share is a driver, addressed
// "<taker>/takes/<k>/share" (k from 1, in list order), in [0, 1].
type OrderTake struct {
	// Partnership is the ID of the partnership orders are taken from.
	Partnership string `json:"partnership,omitempty"`
	// Channel is a channel orders are taken from (every partnership of
	// it but the taker).
	Channel string `json:"channel,omitempty"`
	// Share is the fraction of the taker's orders that come from the
	// source, in [0, 1]. Required.
	Share decimal.Decimal `json:"share" required:"true"`
}

// takesDrivers lists the share drivers of a partnership's takes.
func (w *walker) takes(pre string, ps *Partnership) {
	for k := range ps.Takes {
		w.add(pre+"takes/"+idx(k)+"/share", "fraction of its orders", kRate, &ps.Takes[k].Share)
	}
}

// validateTakes checks every partnership's takes: a source that exists
// and is not the taker, named once, and shares summing to at most 1.
func (p *Portfolio) validateTakes(pr *Problems) {
	ids := map[string]bool{}
	channels := map[string][]string{}
	for i := range p.Partnerships {
		ps := &p.Partnerships[i]
		ids[ps.ID] = true
		channels[ps.Channel] = append(channels[ps.Channel], ps.ID)
	}
	for i := range p.Partnerships {
		ps := &p.Partnerships[i]
		if len(ps.Takes) == 0 {
			continue
		}
		at := fmt.Sprintf("partnerships[%d].takes", i)
		sum := decimal.Zero
		seen := map[string]int{}
		for k := range ps.Takes {
			tk := &ps.Takes[k]
			ta := fmt.Sprintf("%s[%d]", at, k)
			sum = sum.Add(tk.Share)
			var key string
			switch {
			case tk.Partnership != "" && tk.Channel != "":
				pr.Add(ta+".channel", fmt.Sprintf("%q", tk.Channel), "either partnership or channel, not both")
				continue
			case tk.Partnership != "":
				key = "partnership " + tk.Partnership
				switch {
				case tk.Partnership == ps.ID:
					pr.Add(ta+".partnership", fmt.Sprintf("%q", tk.Partnership), "another partnership than the one taking the orders")
				case !ids[tk.Partnership]:
					pr.Add(ta+".partnership", fmt.Sprintf("%q", tk.Partnership), "the ID of a partnership of the portfolio")
				}
			case tk.Channel != "":
				key = "channel " + tk.Channel
				others := 0
				for _, id := range channels[tk.Channel] {
					if id != ps.ID {
						others++
					}
				}
				if others == 0 {
					pr.Add(ta+".channel", fmt.Sprintf("%q", tk.Channel), "a channel with a partnership other than the one taking the orders")
				}
			default:
				pr.Add(ta, "", "a partnership or a channel to take orders from")
				continue
			}
			if j, dup := seen[key]; dup {
				pr.Add(ta, key, fmt.Sprintf("a source not already named by takes[%d]", j))
			} else {
				seen[key] = k
			}
		}
		if sum.GreaterThan(one) {
			pr.Add(at, "shares summing to "+sum.String(), fmt.Sprintf("shares summing to at most 1 (the drivers %s/takes/*/share): a partnership cannot take more than all its orders from others", ps.ID))
		}
	}
}

// takeSources returns the partnerships (indices) that take k of
// partnership i draws from.
func (p *Portfolio) takeSources(i int, tk *OrderTake) []int {
	var out []int
	for j := range p.Partnerships {
		if j == i {
			continue
		}
		if (tk.Partnership != "" && p.Partnerships[j].ID == tk.Partnership) ||
			(tk.Partnership == "" && tk.Channel != "" && p.Partnerships[j].Channel == tk.Channel) {
			out = append(out, j)
		}
	}
	return out
}

// demandOrders builds, when any partnership takes orders from others,
// every category's orders (orders) and then reduces the sources' by the
// orders taken (see OrderTake); partnership reads them from b.demand.
// Without takes it does nothing, and every category's orders are built
// where they are read, as before.
func (b *modelBuilder) demandOrders() {
	p := b.p
	any := false
	for i := range p.Partnerships {
		any = any || len(p.Partnerships[i].Takes) > 0
	}
	if !any {
		return
	}
	raw := make([][][]graph.ID, len(p.Partnerships))
	for i := range p.Partnerships {
		ps := &p.Partnerships[i]
		raw[i] = make([][]graph.ID, len(ps.Categories))
		for j := range ps.Categories {
			raw[i][j] = b.orders(ps, &ps.Categories[j])
		}
	}
	total := func(i, t int) graph.ID {
		col := make([]graph.ID, len(raw[i]))
		for j := range raw[i] {
			col[j] = raw[i][j][t]
		}
		return b.Sum(col, nil)
	}
	// taken[j][t]: the takes from source j in month t, each the orders
	// taken and the source's orders they are shared over.
	type take struct{ n, from graph.ID }
	taken := make([][][]take, len(p.Partnerships))
	for i := range p.Partnerships {
		ps := &p.Partnerships[i]
		for k := range ps.Takes {
			tk := &ps.Takes[k]
			src := p.takeSources(i, tk)
			if len(src) == 0 {
				continue // Validate refuses it
			}
			for t := ps.LaunchMonth; t < b.months; t++ {
				n := total(i, t)
				b.Label(n, fmt.Sprintf("Orders of %s in the month (its demand)", ps.ID))
				n = b.Mul(b.at(&tk.Share, t), n)
				b.Label(n, fmt.Sprintf("Orders %s takes from %s", ps.ID, takeName(tk)))
				terms := make([]graph.ID, len(src))
				for s, j := range src {
					terms[s] = total(j, t)
				}
				from := b.Sum(terms, nil)
				b.Label(from, fmt.Sprintf("Orders of %s in the month before %s takes any", takeName(tk), ps.ID))
				for _, j := range src {
					if taken[j] == nil {
						taken[j] = make([][]take, b.months)
					}
					taken[j][t] = append(taken[j][t], take{n, from})
				}
			}
		}
	}
	// Each row loses its share of each take, row × taken ÷ source (the
	// product first, so that a source of one row loses exactly the
	// orders taken), and keeps at least none.
	b.demand = map[*Partnership][][]graph.ID{}
	for i := range p.Partnerships {
		ps := &p.Partnerships[i]
		b.demand[ps] = raw[i]
		if taken[i] == nil {
			continue
		}
		for t := range b.months {
			if len(taken[i][t]) == 0 {
				continue
			}
			for j := range raw[i] {
				r := raw[i][j][t]
				lost := make([]graph.ID, len(taken[i][t]))
				for k, tk := range taken[i][t] {
					lost[k] = b.IfLE(tk.from, b.Zero(), b.Zero(), b.Div(b.Mul(r, tk.n), tk.from, ratePrecision))
				}
				raw[i][j][t] = b.Max(b.Sum([]graph.ID{r}, lost), b.Zero())
				b.Label(raw[i][j][t], fmt.Sprintf("Orders of %s/%s left after the orders other partnerships take", ps.ID, ps.Categories[j].ID))
			}
		}
	}
}

// categoryOrders is a category's orders: those demandOrders built, or
// built here when no partnership takes orders from others.
func (b *modelBuilder) categoryOrders(ps *Partnership, j int) []graph.ID {
	if d, ok := b.demand[ps]; ok {
		return d[j]
	}
	return b.orders(ps, &ps.Categories[j])
}

func takeName(tk *OrderTake) string {
	if tk.Partnership != "" {
		return tk.Partnership
	}
	return "channel " + tk.Channel
}

// Clone returns a deep copy of the partnership (as Portfolio.Clone
// copies each of its partnerships).
func (ps Partnership) Clone() Partnership { return ps.clone() }
