package scenario

import (
	"fmt"
	"sort"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// Input is one driver (or pattern of drivers) moved in a sensitivity
// analysis: Op with Low and High. With Multiply, Low 0.9 and High 1.1 move
// it ±10 %; with SetTo they are the values themselves; with Add they are
// added. Label names it in charts (the target when empty).
type Input struct {
	Target string          `json:"target"`
	Op     costmodel.Op    `json:"op"`
	Low    decimal.Decimal `json:"low"`
	High   decimal.Decimal `json:"high"`
	Label  string          `json:"label,omitempty"`
}

// Percent is the Input that moves a target pct down and up (pct 0.1 for ±10 %).
func Percent(target string, pct decimal.Decimal) Input {
	one := decimal.NewFromInt(1)
	return Input{Target: target, Op: costmodel.Multiply, Low: one.Sub(pct), High: one.Add(pct)}
}

func (in Input) label() string {
	if in.Label != "" {
		return in.Label
	}
	return in.Target
}

// shocked applies one shock to a clone of p.
func shocked(p *costmodel.Portfolio, target string, op costmodel.Op, v decimal.Decimal) (*costmodel.Portfolio, error) {
	q := p.Clone()
	_, err := q.Update(target, func(d costmodel.Driver) (decimal.Decimal, error) { return op.Apply(d.Value, v) })
	return q, err
}

// Bar is one input's effect in a tornado.
type Bar struct {
	Input Input
	Label string
	// AtLow and AtHigh are the output with the input at Low and at High.
	AtLow, AtHigh Value
	// Swing is |AtHigh − AtLow|, the length of the bar, when both ends
	// are defined.
	Swing decimal.Decimal
	// Undefined is set when the output is undefined at either end (a
	// ratio over zero net sales, a payback never reached): the bar has no
	// length, Swing is not a value (it is left zero), and the bar is
	// ranked after every defined bar instead of as "no effect".
	Undefined bool
}

// Tornado is a one-at-a-time sensitivity: each input moved to its low and
// high values with every other input at base, ranked by swing.
type Tornado struct {
	Output Output
	Base   Value
	// Bars are sorted by Swing, largest first (ties in input order),
	// then the Undefined bars in input order.
	Bars []Bar
	// Evaluations counts the statements evaluated: 1 + 2 per input.
	Evaluations int
}

// RunTornado computes a tornado of output over the inputs. Every input
// problem (a target that matches nothing, a move that leaves a driver's
// range) is reported at once.
func RunTornado(p *costmodel.Portfolio, out Output, inputs []Input) (*Tornado, error) {
	return runTornado(p, out, inputs, nil)
}

func runTornado(p *costmodel.Portfolio, out Output, inputs []Input, progress func(done, total int)) (*Tornado, error) {
	if p == nil {
		return nil, errNoPortfolio()
	}
	var pr costmodel.Problems
	ports := []*costmodel.Portfolio{p}
	for i, in := range inputs {
		lo, err1 := shocked(p, in.Target, in.Op, in.Low)
		hi, err2 := shocked(p, in.Target, in.Op, in.High)
		pr.Merge(fmt.Sprintf("inputs[%d].low", i), err1)
		pr.Merge(fmt.Sprintf("inputs[%d].high", i), err2)
		ports = append(ports, lo, hi)
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	labels := []string{"base"}
	for i := range inputs {
		labels = append(labels, fmt.Sprintf("inputs[%d].low", i), fmt.Sprintf("inputs[%d].high", i))
	}
	sts, err := evalAllProgress(ports, progress, labels...)
	if err != nil {
		return nil, err
	}
	vals, err := outputsOf(sts, out)
	if err != nil {
		return nil, err
	}
	t := &Tornado{Output: out, Base: vals[0], Evaluations: len(ports)}
	for i, in := range inputs {
		b := Bar{Input: in, Label: in.label(), AtLow: vals[1+2*i], AtHigh: vals[2+2*i]}
		if b.AtLow.Valid && b.AtHigh.Valid {
			b.Swing = b.AtHigh.Amount.Sub(b.AtLow.Amount).Abs()
		} else {
			b.Undefined = true
		}
		t.Bars = append(t.Bars, b)
	}
	sort.SliceStable(t.Bars, func(i, j int) bool {
		bi, bj := t.Bars[i], t.Bars[j]
		if bi.Undefined || bj.Undefined {
			return !bi.Undefined && bj.Undefined
		}
		return bi.Swing.GreaterThan(bj.Swing)
	})
	return t, nil
}

// outputs evaluates the portfolios and reads one output of each.
func outputs(ports []*costmodel.Portfolio, out Output, labels ...string) ([]Value, error) {
	sts, err := evalAll(ports, labels...)
	if err != nil {
		return nil, err
	}
	return outputsOf(sts, out)
}

// outputsOf reads one output of each statement.
func outputsOf(sts []*costmodel.Statement, out Output) ([]Value, error) {
	if err := out.Check(sts[0]); err != nil {
		return nil, err
	}
	vals := make([]Value, len(sts))
	for i, st := range sts {
		vals[i], _ = out.Of(st)
	}
	return vals, nil
}

// Spider is each input stepped across a range of multipliers of its base
// value, with the others at base: one line per input.
type Spider struct {
	Output Output
	Steps  []decimal.Decimal // multipliers, e.g. 0.8, 0.9, 1, 1.1, 1.2
	Lines  []SpiderLine
}

// SpiderLine is one input's output at each step.
type SpiderLine struct {
	Target string
	Values []Value
}

// RunSpider steps each target by each multiplier.
func RunSpider(p *costmodel.Portfolio, out Output, targets []string, steps []decimal.Decimal) (*Spider, error) {
	if p == nil {
		return nil, errNoPortfolio()
	}
	var pr costmodel.Problems
	var ports []*costmodel.Portfolio
	var labels []string
	for i, tg := range targets {
		for j, s := range steps {
			q, err := shocked(p, tg, costmodel.Multiply, s)
			at := fmt.Sprintf("targets[%d] at steps[%d]", i, j)
			pr.Merge(at, err)
			ports = append(ports, q)
			labels = append(labels, at)
		}
	}
	if len(targets) == 0 || len(steps) == 0 {
		pr.Add("targets", "", "at least one target and one step")
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	vals, err := outputs(ports, out, labels...)
	if err != nil {
		return nil, err
	}
	s := &Spider{Output: out, Steps: steps}
	for i, tg := range targets {
		s.Lines = append(s.Lines, SpiderLine{Target: tg, Values: vals[i*len(steps) : (i+1)*len(steps)]})
	}
	return s, nil
}

// Axis is one dimension of a two-way table: the target and the values it
// takes under Op (SetTo: the values themselves; Multiply: multipliers).
type Axis struct {
	Target string            `json:"target"`
	Op     costmodel.Op      `json:"op"`
	Values []decimal.Decimal `json:"values"`
}

// Table is a two-way sensitivity table: Cells[i][j] is the output with the
// row target at Rows.Values[i] and the column target at Cols.Values[j].
type Table struct {
	Output     Output
	Rows, Cols Axis
	Cells      [][]Value
}

// RunTable computes a two-way table (revenue-share rate × monthly orders →
// contribution, say). The row shock applies first, then the column shock.
func RunTable(p *costmodel.Portfolio, out Output, rows, cols Axis) (*Table, error) {
	if p == nil {
		return nil, errNoPortfolio()
	}
	var pr costmodel.Problems
	if len(rows.Values) == 0 || len(cols.Values) == 0 {
		pr.Add("axes", "", "at least one value on each axis")
	}
	var ports []*costmodel.Portfolio
	var labels []string
	for i, rv := range rows.Values {
		rp, err := shocked(p, rows.Target, rows.Op, rv)
		if err != nil {
			pr.Merge(fmt.Sprintf("rows.values[%d]", i), err)
			continue
		}
		for j, cv := range cols.Values {
			q, err := shocked(rp, cols.Target, cols.Op, cv)
			pr.Merge(fmt.Sprintf("cols.values[%d]", j), err)
			ports = append(ports, q)
			labels = append(labels, fmt.Sprintf("rows.values[%d] × cols.values[%d]", i, j))
		}
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	vals, err := outputs(ports, out, labels...)
	if err != nil {
		return nil, err
	}
	t := &Table{Output: out, Rows: rows, Cols: cols}
	for i := range rows.Values {
		t.Cells = append(t.Cells, vals[i*len(cols.Values):(i+1)*len(cols.Values)])
	}
	return t, nil
}
