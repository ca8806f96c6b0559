package main

import (
	"fmt"
	"io"
	"sort"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/format"
	"github.com/shopspring/decimal"
)

// laneInput is one input of a cross-border lane with what it costs: the
// horizon total of the line it drives and its cost in NPV, the
// portfolio's NPV with the input at 0 less its NPV as given (exact).
type laneInput struct {
	Address string          // the driver, amazon-de/lane/shipping_per_order
	Line    costmodel.Line  // the line it drives (LineRefunds for the extra return rate)
	Total   decimal.Decimal // what the input adds to the partnership's Line over the horizon, base currency
	NPVCost decimal.Decimal // NPV(input = 0) − NPV(as given)
}

// laneInputs are the lane inputs broken down, in the order printed.
var laneInputs = []struct {
	name string
	line costmodel.Line
}{
	{"shipping_per_order", costmodel.LineInternationalShipping},
	{"return_shipping_per_order", costmodel.LineReturnShipping},
	{"extra_return_rate", costmodel.LineRefunds},
	{"duty_rate", costmodel.LineImportDuty},
	{"vat_rate", costmodel.LineImportVAT},
	{"fx_fee_rate", costmodel.LineFXFee},
}

// laneCosts breaks down what the lanes of p cost: for each partnership
// with a lane and each of its lane inputs that is set (not 0), what the
// input adds to its line over the horizon (the line as given less the
// line with the input at 0) and the input's cost in NPV. The NPV costs do not add up to the whole
// lane's: the inputs interact (shipping is in the customs value that
// duty is a rate of; the extra returns are shipped back).
func laneCosts(p *costmodel.Portfolio) ([]laneInput, error) {
	st, err := costmodel.Evaluate(p)
	if err != nil {
		return nil, err
	}
	var out []laneInput
	for i, ps := range p.Partnerships {
		if ps.Lane == nil {
			continue
		}
		for _, in := range laneInputs {
			addr := ps.ID + "/lane/" + in.name
			if d, err := p.Driver(addr); err != nil || d.Value.IsZero() {
				continue // not set (no VAT rate unless VAT is absorbed), or nothing to cost
			}
			q := p.Clone()
			if _, err := q.Set(addr, decimal.Zero); err != nil {
				return nil, err
			}
			without, err := costmodel.Evaluate(q)
			if err != nil {
				return nil, err
			}
			out = append(out, laneInput{Address: addr, Line: in.line,
				Total:   st.Partnerships[i].Total.Total[in.line].Sub(without.Partnerships[i].Total.Total[in.line]),
				NPVCost: without.Measures.NPV.Sub(st.Measures.NPV)})
		}
	}
	return out, nil
}

// wholeLaneCosts is, for each partnership of p with a lane, the NPV cost
// of the whole lane: p's NPV with the partnership's lane removed (a
// domestic partnership in the foreign market) less its NPV as given.
func wholeLaneCosts(p *costmodel.Portfolio) (map[string]decimal.Decimal, error) {
	st, err := costmodel.Evaluate(p)
	if err != nil {
		return nil, err
	}
	out := map[string]decimal.Decimal{}
	for i, ps := range p.Partnerships {
		if ps.Lane == nil {
			continue
		}
		q := p.Clone()
		q.Partnerships[i].Lane = nil
		without, err := costmodel.Evaluate(q)
		if err != nil {
			return nil, err
		}
		out[ps.ID] = without.Measures.NPV.Sub(st.Measures.NPV)
	}
	return out, nil
}

// printLaneCosts writes what a trajectory's lanes cost.
func printLaneCosts(w io.Writer, name string, costs []laneInput, whole map[string]decimal.Decimal) {
	if len(costs) == 0 {
		return
	}
	fmt.Fprintf(w, "%s: what each lane input adds to its line over the horizon, and costs in NPV (the NPV with it at 0 less the NPV as given; exact)\n", name)
	for _, c := range costs {
		fmt.Fprintf(w, "  %-42s %-24s +%s, NPV cost %s\n", c.Address, c.Line.Label(),
			format.MoneyPlaces(c.Total, 2), format.MoneyPlaces(c.NPVCost, 2))
	}
	ids := make([]string, 0, len(whole))
	for id := range whole {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		fmt.Fprintf(w, "  %s's whole lane: NPV cost %s (less than the sum above: shipping is in the customs value duty is a rate of, and the extra returns are the ones shipped back)\n",
			id, format.MoneyPlaces(whole[id], 2))
	}
}
