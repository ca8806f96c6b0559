package montecarlo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"strings"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// Input attaches a distribution to the drivers a target selects.
//
// Target is a driver address or pattern (costmodel.Portfolio.Match). Every
// driver it selects takes the same draw in a trial: a pattern is one
// common factor ("*/beauty/return_rate" moves every beauty return rate
// together); list addresses separately for independent draws.
//
// Op says how the draw acts on each selected driver's base value:
// "set" replaces it, "multiply" multiplies it (orders × a draw around 1),
// "add" adds to it. It is required, in JSON and in Go: there is no
// default, since a multiplier read as "set" would be a plausible wrong
// margin. The result is clamped to the
// driver's valid range (Driver.Bounds); Result.Clamped counts how often.
//
// PerMonth draws afresh each month instead of once per trial, with
// month-to-month Autocorrelation ρ in [0, 1) on the normal scores:
// z_t = ρ z_{t−1} + √(1 − ρ²) ε_t, so each month keeps the distribution
// while neighbouring months move together.
type Input struct {
	Name            string       `json:"name,omitempty"`
	Target          string       `json:"target" required:"true"`
	Op              costmodel.Op `json:"op" required:"true"`
	Dist            DistSpec     `json:"dist" required:"true"`
	PerMonth        bool         `json:"per_month,omitempty"`
	Autocorrelation float64      `json:"autocorrelation,omitempty"`
	// Process, when set, makes a per-month input a time series (see
	// Process): "random_walk" multiplies each month's draw into the
	// running product, a geometric random walk. Optional (default: each
	// month's draw stands alone).
	Process Process `json:"process,omitempty"`
	// EventsPerMonth is the Poisson mean of events a month of a
	// "compound_poisson" process (incidents a month, each lasting a draw
	// of Dist); only with that process.
	EventsPerMonth float64 `json:"events_per_month,omitempty"`
	// CountOver and CountTarget, on a compound Poisson input, count each
	// month's events that last longer than CountOver (in the events'
	// unit: hours for downtime) and set that count on CountTarget's
	// drivers — the incidents past the response time
	// ("<partnership>/outage/long_incidents") from the same incidents as
	// the downtime, so that response penalties move with the credits.
	// Both or neither; CountOver may be 0 (every event counts).
	CountOver   *float64 `json:"count_over,omitempty"`
	CountTarget string   `json:"count_target,omitempty"`
}

// Label is the input's name, or its target when it has none. Streams and
// correlations refer to inputs by label, so labels must be unique.
func (in *Input) Label() string {
	if in == nil {
		return ""
	}
	if in.Name != "" {
		return in.Name
	}
	return in.Target
}

// Correlation is a rank-correlation matrix over some inputs (by label),
// applied with Iman–Conover. A matrix that is symmetric with entries in
// [−1, 1] and a unit diagonal but not positive definite is repaired to the
// nearest correlation matrix (Higham) and Result.Repairs says how far each
// entry moved; any other bad matrix is refused.
type Correlation struct {
	Inputs []string    `json:"inputs" required:"true"`
	Matrix [][]float64 `json:"matrix" required:"true"`
}

// Sampling is the sampling method.
type Sampling string

const (
	// LHS is Latin Hypercube sampling, stratified within each block of
	// trials: the default, as in the best-known Excel add-in.
	LHS Sampling = "lhs"
	// MC is plain Monte Carlo.
	MC Sampling = "mc"
)

// Spec is the uncertainty of a portfolio: its inputs, their correlations
// and the sampling method. Load it from JSON with Load or LoadFile.
type Spec struct {
	Sampling     Sampling      `json:"sampling,omitempty"`
	Inputs       []Input       `json:"inputs" required:"true"`
	Correlations []Correlation `json:"correlations,omitempty"`
	Run          *RunSpec      `json:"run,omitempty"`
}

// RunSpec holds run options in a spec file; Options fields set in Go take
// precedence where they are set.
type RunSpec struct {
	Trials int    `json:"trials,omitempty"`
	Seed   uint64 `json:"seed,omitempty"`
}

// maxFileBytes bounds an uncertainty file, as costmodel.Load bounds a
// portfolio file: 64 MiB is far more than any spec a person writes.
const maxFileBytes = 64 << 20

// Load reads an uncertainty spec from JSON and checks it against the
// portfolio it will run on, reporting every problem at once: unknown
// fields, distributions with invalid parameters, targets that select no
// driver, correlations over unknown inputs or with bad matrices. It has
// the shape of costmodel.Load and scenario.Load; LoadFile reads a file.
func Load(r io.Reader, p *costmodel.Portfolio) (*Spec, error) {
	if r == nil {
		return nil, &costmodel.FieldError{Path: "(file)", Expected: "a reader to load the uncertainty spec from, not nil"}
	}
	data, err := io.ReadAll(io.LimitReader(r, maxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileBytes {
		return nil, &costmodel.FieldError{Path: "(file)", Expected: "an uncertainty file of at most 64 MiB"}
	}
	return load(data, p)
}

// LoadFile reads an uncertainty spec from the named JSON file (see Load);
// errors name the file.
func LoadFile(name string, p *costmodel.Portfolio) (*Spec, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := Load(f, p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return s, nil
}

func load(data []byte, p *costmodel.Portfolio) (*Spec, error) {
	var s Spec
	if err := costmodel.DecodeStrict(data, &s); err != nil {
		return nil, err
	}
	if p == nil {
		return nil, errNil("portfolio", "the portfolio the spec runs on")
	}
	_, err := s.plan(p)
	if s.Run != nil && s.Run.Trials == 0 && explicitZeroTrials(data) {
		// In Go an unset Trials is 0; in a file "trials": 0 is a mistake,
		// not a request for a default (there is none).
		var pr costmodel.Problems
		pr.Add("run.trials", "0", fmt.Sprintf("a number of trials from 2 to %d (leave it out to give the count when running)", MaxTrials))
		pr.Merge("", err)
		err = pr.Err()
	}
	if err != nil {
		return nil, err
	}
	return &s, nil
}

// Validate checks the spec against a portfolio.
func (s *Spec) Validate(p *costmodel.Portfolio) error {
	switch {
	case s == nil:
		return errNil("spec", "an uncertainty spec (got nil)")
	case p == nil:
		return errNil("portfolio", "the portfolio the spec runs on (got nil)")
	}
	_, err := s.plan(p)
	return err
}

// inputPlan is an input resolved against a compiled portfolio.
type inputPlan struct {
	label   string
	op      costmodel.Op
	dist    Distribution
	drivers []int // indices into the driver vector
	lo, hi  []float64
	month   bool
	rho     float64
	walk    bool // Process RandomWalk: month t is the product of draws 0..t
	// events is a compound Poisson input's events a month (0: not one):
	// month t is the sum of Poisson(events) draws of dist.
	events float64
	// count is, on a compound Poisson input, 1 + the index of the plan
	// that receives its counts of events longer than over (0: none);
	// countOf is, on that receiving plan, 1 + the index of its source.
	// A receiving plan has no distribution and no stream of its own: its
	// per-month values are filled while the source's events are drawn.
	count, countOf int
	over           float64
}

// corrPlan is a correlation group resolved to input indices.
type corrPlan struct {
	index    int // in Spec.Correlations
	inputs   []int
	matrix   [][]float64
	repaired bool
	moved    [][]float64
	maxMove  float64
}

type specPlan struct {
	sampler Sampler
	inputs  []inputPlan
	corrs   []corrPlan
}

// plan validates the spec and resolves it against p's drivers; driver
// indices are positions in p.Drivers(), which the statement graph keeps
// (costmodel.Model.Drivers starts with them).
func (s *Spec) plan(p *costmodel.Portfolio) (*specPlan, error) {
	return s.planOn(p.Drivers())
}

// planOn is plan on the portfolio's drivers (p.Drivers(), which a run may
// have from the compiled-model cache).
func (s *Spec) planOn(drivers []costmodel.Driver) (*specPlan, error) {
	var pr costmodel.Problems
	sp := &specPlan{}
	switch s.Sampling {
	case "", LHS:
		sp.sampler = LatinHypercube{}
	case MC:
		sp.sampler = MonteCarlo{}
	default:
		pr.Add("sampling", quote(s.Sampling), `"lhs" (Latin Hypercube) or "mc" (plain Monte Carlo)`)
	}
	if len(s.Inputs) == 0 {
		pr.Add("inputs", "", "at least one uncertain input")
	}
	labels := map[string]int{}
	// A literal target names one driver: found by address rather than
	// compared with each of thousands (when the addresses are unique, as
	// a portfolio's are).
	var byAddr map[string]int
	if len(s.Inputs) > 4 {
		byAddr = make(map[string]int, len(drivers))
		for k, d := range drivers {
			if _, dup := byAddr[d.Address]; dup {
				byAddr = nil
				break
			}
			byAddr[d.Address] = k
		}
	}
	for i := range s.Inputs {
		in := &s.Inputs[i]
		at := fmt.Sprintf("inputs[%d]", i)
		ip := inputPlan{label: in.Label(), op: in.Op, month: in.PerMonth, rho: in.Autocorrelation}
		if ip.op == "" {
			// No default: a missing op read as "set" turns a ×0.7–1.25
			// multiplier into orders of about 1.
			pr.Add(at+".op", `""`, fmt.Sprintf("an op for input %q, which has none: %s", ip.label, costmodel.OpChoices))
		} else if _, err := ip.op.Apply(decimal.Zero, decimal.Zero); err != nil {
			pr.Add(at+".op", quote(in.Op), "one of the ops: "+costmodel.OpChoices)
		}
		if j, dup := labels[ip.label]; dup {
			pr.Add(at+".name", quote(ip.label), fmt.Sprintf("a label not already used by inputs[%d] (give one a name)", j))
		}
		labels[ip.label] = i
		ip.drivers, ip.lo, ip.hi = resolveTarget(&pr, at+".target", at+".per_month", in.Target, in.PerMonth, drivers, byAddr)
		dist, err := in.Dist.Build(at + ".dist")
		pr.Merge("", err)
		ip.dist = dist
		if in.Autocorrelation != 0 && !in.PerMonth {
			pr.Add(at+".autocorrelation", formatG(in.Autocorrelation), "no autocorrelation unless per_month is set")
		}
		if !(in.Autocorrelation >= 0 && in.Autocorrelation < 1) {
			pr.Add(at+".autocorrelation", formatG(in.Autocorrelation), "a month-to-month correlation in [0, 1)")
		}
		ip.walk = checkProcess(&pr, at, in)
		checkCompound(&pr, at, in, dist)
		if in.Process == CompoundPoisson {
			ip.events = in.EventsPerMonth
		}
		sp.inputs = append(sp.inputs, ip)
	}
	sp.countPlans(&pr, s.Inputs, drivers, byAddr, labels)
	overlaps(&pr, s.Inputs, sp.inputs, drivers)
	if r := s.Run; r != nil && (r.Trials < 0 || r.Trials == 1 || r.Trials > MaxTrials) {
		pr.Add("run.trials", fmt.Sprint(r.Trials), fmt.Sprintf("a number of trials from 2 to %d (leave it out to give the count when running)", MaxTrials))
	}
	inCorr := map[int]string{}
	for g, c := range s.Correlations {
		at := fmt.Sprintf("correlations[%d]", g)
		cp := corrPlan{index: g}
		ok := true
		for j, name := range c.Inputs {
			i, found := labels[name]
			switch {
			case !found:
				pr.Add(fmt.Sprintf("%s.inputs[%d]", at, j), quote(name), "the name or target of an input with a distribution")
				ok = false
			case s.Inputs[i].PerMonth:
				pr.Add(fmt.Sprintf("%s.inputs[%d]", at, j), quote(name), "an input drawn once per trial (per-month inputs are correlated over time only)")
				ok = false
			case inCorr[i] == at:
				pr.Add(fmt.Sprintf("%s.inputs[%d]", at, j), quote(name), "each input once in a group (it is listed twice)")
				ok = false
			case inCorr[i] != "":
				pr.Add(fmt.Sprintf("%s.inputs[%d]", at, j), quote(name), "an input in one correlation group only (it is in "+inCorr[i]+")")
				ok = false
			default:
				inCorr[i] = at
				cp.inputs = append(cp.inputs, i)
			}
		}
		if len(c.Inputs) < 2 {
			pr.Add(at+".inputs", fmt.Sprint(len(c.Inputs)), "at least two inputs")
			ok = false
		}
		if err := ValidateCorrelation(c.Matrix, at+".matrix"); err != nil {
			pr.Merge("", err)
			ok = false
		} else if len(c.Matrix) != len(c.Inputs) {
			pr.Add(at+".matrix", fmt.Sprintf("%d×%d", len(c.Matrix), len(c.Matrix)), fmt.Sprintf("a %d×%d matrix, one row per input", len(c.Inputs), len(c.Inputs)))
			ok = false
		}
		if !ok {
			continue
		}
		rep, moved, maxMove, err := NearestCorrelation(c.Matrix)
		if err != nil {
			pr.Merge(at+".matrix", err)
			continue
		}
		cp.matrix, cp.moved, cp.maxMove = rep, moved, maxMove
		cp.repaired = maxMove > 0
		sp.corrs = append(sp.corrs, cp)
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	return sp, nil
}

// overlaps reports every pair of inputs that reach a common driver. An
// input's draw replaces the driver's value (or acts on its base value),
// so of two inputs on one driver only the later would count, and a
// correlation group on the earlier one would be lost for that driver
// without a word. Inputs have no month range (a per-month input reaches
// every month), so two inputs on one driver always meet in some month.
// Each pair is reported once, at the later input, naming the earlier
// input, both targets and one shared driver address.
func overlaps(pr *costmodel.Problems, ins []Input, plans []inputPlan, drivers []costmodel.Driver) {
	owners := map[int][]int{} // driver index → inputs reaching it, in order
	for i := range plans {
		reported := map[int]bool{}
		for _, d := range plans[i].drivers {
			for _, j := range owners[d] {
				if reported[j] {
					continue
				}
				reported[j] = true
				at, target := planTarget(ins, plans, i)
				pr.Add(at, quote(target),
					fmt.Sprintf("a target that reaches no driver of %s: both reach %s (and others may), and one draw would silently replace the other; narrow one target or list the drivers separately",
						describePlan(ins, plans, j), drivers[d].Address))
			}
			owners[d] = append(owners[d], i)
		}
	}
}

// resolveTarget finds the drivers a target selects (by address when it
// is literal and byAddr is given), with their bounds, and reports at
// atTarget a target that selects none or a structural driver, and at
// atMonth a whole-horizon driver drawn per month.
func resolveTarget(pr *costmodel.Problems, atTarget, atMonth, target string, perMonth bool, drivers []costmodel.Driver, byAddr map[string]int) (idx []int, los, his []float64) {
	literal := isLiteral(target)
	cands := drivers // the drivers that may match, from index first
	first := 0
	if literal && byAddr != nil {
		cands = nil
		if k, ok := byAddr[target]; ok {
			cands, first = drivers[k:k+1], k
		}
	}
	for k, d := range cands {
		k += first
		if targetMatch(target, literal, d.Address) {
			idx = append(idx, k)
			lo, hi := d.Bounds()
			los, his = append(los, lo), append(his, hi)
			if why := structural(d.Address); why != "" {
				pr.Add(atTarget, d.Address, why)
			} else if perMonth {
				if why := costmodel.WholeHorizonOnly(d.Address); why != "" {
					pr.Add(atMonth, d.Address, why)
				}
			}
		}
	}
	if _, err := path.Match(target, ""); err != nil {
		pr.Add(atTarget, quote(target), "an address or pattern that selects at least one driver")
	} else if len(idx) == 0 {
		// the cause ErrNoMatch travels with the problem (errors.Is)
		pr.Merge(atTarget, &costmodel.FieldError{Value: quote(target), Expected: "an address or pattern that selects at least one driver", Err: costmodel.ErrNoMatch})
	}
	return idx, los, his
}

// planTarget is the path and the target of plan i: an input's target, or
// the count_target of the compound input a counting plan belongs to.
func planTarget(ins []Input, plans []inputPlan, i int) (at, target string) {
	if src := plans[i].countOf - 1; src >= 0 {
		return fmt.Sprintf("inputs[%d].count_target", src), ins[src].CountTarget
	}
	return fmt.Sprintf("inputs[%d].target", i), ins[i].Target
}

// describePlan names plan i for a message (see describeInput).
func describePlan(ins []Input, plans []inputPlan, i int) string {
	if src := plans[i].countOf - 1; src >= 0 {
		return fmt.Sprintf("the count_target of %s", describeInput(src, &ins[src]))
	}
	return describeInput(i, &ins[i])
}

// countPlans validates the inputs' count_over and count_target and adds,
// after the inputs' own plans (whose indices stay the inputs'), one plan
// for each counted target: drawn with its compound Poisson source,
// labelled "<source> over <count_over>" for the samples and statistics.
func (sp *specPlan) countPlans(pr *costmodel.Problems, ins []Input, drivers []costmodel.Driver, byAddr map[string]int, labels map[string]int) {
	for i := range ins {
		in := &ins[i]
		at := fmt.Sprintf("inputs[%d]", i)
		if in.CountOver == nil && in.CountTarget == "" {
			continue
		}
		ok := true
		if in.Process != CompoundPoisson {
			pr.Add(at+".count_target", quote(in.CountTarget), fmt.Sprintf("no count_over or count_target unless the process is %q (they count its events)", CompoundPoisson))
			ok = false
		}
		if in.CountTarget == "" {
			pr.Add(at+".count_target", `""`, "the driver address that receives the count of events longer than count_over (e.g. \"<partnership>/outage/long_incidents\")")
			ok = false
		}
		if in.CountOver == nil {
			pr.Add(at+".count_over", "missing", "the duration an event must exceed to be counted (≥ 0, in the events' unit)")
			ok = false
		} else if v := *in.CountOver; !(v >= 0) || math.IsInf(v, 0) {
			pr.Add(at+".count_over", formatG(v), "a finite duration ≥ 0 in the events' unit")
			ok = false
		}
		if in.CountTarget == "" {
			continue
		}
		cp := inputPlan{op: costmodel.SetTo, month: true, countOf: i + 1}
		cp.drivers, cp.lo, cp.hi = resolveTarget(pr, at+".count_target", at+".count_target", in.CountTarget, true, drivers, byAddr)
		if !ok {
			continue
		}
		cp.over = *in.CountOver
		cp.label = fmt.Sprintf("%s over %s", in.Label(), formatG(cp.over))
		if j, dup := labels[cp.label]; dup {
			pr.Add(at+".count_target", quote(cp.label), fmt.Sprintf("a count label not already used by inputs[%d] (rename one)", j))
		}
		sp.inputs[i].count = len(sp.inputs) + 1
		sp.inputs = append(sp.inputs, cp)
	}
}

// describeInput names an input for a message: its index, its name and
// its target.
func describeInput(i int, in *Input) string {
	if in.Name == "" {
		return fmt.Sprintf("inputs[%d] (target %s)", i, quote(in.Target))
	}
	return fmt.Sprintf("inputs[%d] %s (target %s)", i, quote(in.Name), quote(in.Target))
}

// explicitZeroTrials reports whether the JSON spec writes run.trials as
// a number equal to 0 (the decoded struct cannot tell 0 from absent).
func explicitZeroTrials(data []byte) bool {
	var probe struct {
		Run *struct {
			Trials *json.Number `json:"trials"`
		} `json:"run"`
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a byte-order mark, as Excel and Notepad write
	if json.Unmarshal(data, &probe) != nil || probe.Run == nil || probe.Run.Trials == nil {
		return false
	}
	f, err := probe.Run.Trials.Float64()
	return err == nil && f == 0
}

// groupLabels lists the labels of correlation group g's inputs.
func (sp *specPlan) groupLabels(g int) string {
	var names []string
	for _, i := range sp.corrs[g].inputs {
		names = append(names, quote(sp.inputs[i].label))
	}
	return strings.Join(names, ", ")
}

// structural says why a driver cannot take independent draws, or "".
// Price-mix shares must sum to 1 and band bounds must ascend; a draw
// would break the rule without an error.
func structural(address string) string {
	switch {
	case strings.Contains(address, "/price_mix/") && strings.HasSuffix(address, "/share"):
		return "a driver that can take draws: price-mix shares must sum to 1 (draw the prices or the orders instead)"
	case strings.HasSuffix(address, "/up_to"):
		return "a driver that can take draws: band bounds must ascend (draw the rates or prices instead)"
	case strings.Contains(address, "/outage/credit/") && !strings.HasSuffix(address, "/share"):
		return "a driver that can take draws: credit bands must not overlap (draw the downtime or the shares instead)"
	}
	return ""
}

// value is what the input makes of its k-th driver, whose value in the
// portfolio is base, in a trial that drew draw: the input's op applied as
// costmodel defines it for every back end (Op.ApplyFloat, the float form
// of Op.Apply and of an adjustment's graph nodes), then clamped to the
// driver's valid range.
func (ip *inputPlan) value(draw float64, k int, base float64) (v float64, clamped bool) {
	v, err := ip.op.ApplyFloat(base, draw)
	if err != nil || math.IsNaN(v) { // Spec.plan refuses an unknown op
		return ip.lo[k], true
	}
	if v < ip.lo[k] {
		return ip.lo[k], true
	}
	if v > ip.hi[k] {
		return ip.hi[k], true
	}
	return v, false
}
