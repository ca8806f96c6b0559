package report

import (
	"fmt"
	"strings"

	"github.com/marginalhq/marginal/montecarlo"
	"github.com/marginalhq/marginal/scenario"
)

// SheetUncertainty is the sheet of the simulation's inputs: which drivers
// were uncertain, how each was drawn, their correlations as given and as
// repaired, and the run's settings (Options.Uncertainty).
const SheetUncertainty = "Uncertainty"

// Rows of the Uncertainty sheet's first block.
const (
	unHead = 5 // the run settings' heading
)

// writeUncertainty writes the Uncertainty sheet: the run's settings (trials,
// seed, sampling, convergence and the standard error of the portfolio's
// mean contribution), every uncertain input (its address, how its draw acts
// on the drivers, its distribution in words with its parameters, drawn per
// trial or per month with its autocorrelation or process, and how often it
// was clamped), and each correlation matrix as given and, when it was not
// a valid correlation matrix, as repaired with how far each entry moved.
func (b *book) writeUncertainty() error {
	if !b.hasUncertaintySheet() {
		return nil
	}
	g := b.grid(SheetUncertainty)
	lk := b.lk
	spec, sim := b.opt.Uncertainty, b.opt.Simulation
	g.width(1, 1, 6)
	g.width(2, 2, 30)
	g.width(3, 3, 32)
	g.width(4, 4, 14)
	g.width(5, 5, 72) // a truncated PERT's words run to ~70 characters
	g.width(6, 6, 14)
	g.width(7, 7, 12)
	g.width(8, 8, 48) // "one draw for the whole horizon", a process in words
	g.width(9, 9, 10)
	g.text(1, 1, "Uncertainty: what the Monte Carlo run drew", lk.Title)
	g.text(1, 2, "The inputs of the simulation on the Monte Carlo sheet, as given in the uncertainty spec. Each draw acts on the base value of every driver its target selects; results are clamped to the driver's valid range.", lk.Note)
	b.staleNotice(SheetUncertainty, 1, 3)
	b.printRows(SheetUncertainty, 1, 2, 0)

	row := unHead
	g.text(1, row, "Run settings", lk.Bold)
	row++
	setting := func(label string, v any, style int) {
		g.text(2, row, label, 0)
		if s, ok := v.(string); ok {
			g.text(3, row, s, style)
		} else {
			g.value(3, row, v, style)
		}
		row++
	}
	if sim == nil {
		setting("Trials", "not run", lk.Note)
	} else {
		setting("Trials", sim.Trials, lk.Integer)
		setting("Seed", fmt.Sprint(sim.Seed), 0)
	}
	sampling := spec.Sampling
	if sim != nil && sim.Sampling != "" {
		sampling = sim.Sampling
	}
	setting("Sampling", samplingWords(sampling), 0)
	if sim != nil {
		if cv := sim.Convergence; cv != nil {
			status := fmt.Sprintf("not met within %d trials", sim.Trials)
			if cv.Converged {
				status = fmt.Sprintf("met at %d trials", cv.At)
			}
			setting("Convergence rule", fmt.Sprintf("standard error of the %s below %s: %s", cv.Statistic, formatG(cv.Tolerance), status), 0)
		} else {
			setting("Convergence rule", "none: the run did all its trials", 0)
		}
		if o, ok := sim.Output(scenario.Output{Metric: scenario.Contribution}); ok && o.Valid {
			setting("Portfolio contribution, mean", o.Summary.Mean, lk.Money)
			setting("Its standard error (SD/√n)", o.Summary.SE, lk.Money)
			setting("Its 95 % interval (± 1.96 SE)", fmt.Sprintf("%s to %s", groupFloat(o.Summary.Mean-1.96*o.Summary.SE), groupFloat(o.Summary.Mean+1.96*o.Summary.SE)), 0)
		}
	}
	row++

	g.text(1, row, "Uncertain inputs", lk.Bold)
	row++
	g.header(1, row, "#", "Input", "Target (driver address or pattern)", "Drivers", "Distribution", "Acts on base", "Drawn", "Month-to-month", "Clamped")
	row++
	clamped := map[string]int{}
	if sim != nil {
		for i, l := range sim.Inputs {
			if i < len(sim.Clamped) {
				clamped[l] = sim.Clamped[i]
			}
		}
	}
	for i := range spec.Inputs {
		in := &spec.Inputs[i]
		g.value(1, row, i+1, lk.Integer)
		g.text(2, row, in.Label(), 0)
		g.text(3, row, in.Target, 0)
		if ds, err := b.p.Match(in.Target); err == nil {
			g.value(4, row, len(ds), lk.Integer)
		} else {
			g.text(4, row, na, lk.NA)
		}
		g.text(5, row, distributionWords(in.Dist), 0)
		g.text(6, row, opWords(string(in.Op)), 0)
		drawn, link := drawnWords(in)
		g.text(7, row, drawn, 0)
		g.text(8, row, link, 0)
		if sim != nil {
			g.value(9, row, clamped[in.Label()], lk.Integer)
		} else {
			g.text(9, row, na, lk.NA)
		}
		row++
	}
	row++

	g.text(1, row, "Correlations (rank correlations, applied with Iman–Conover)", lk.Bold)
	row++
	if len(spec.Correlations) == 0 {
		g.text(2, row, "None: the inputs were drawn independently.", lk.Note)
		row++
	}
	for k, c := range spec.Correlations {
		var rep *montecarlo.Repair
		if sim != nil {
			for j := range sim.Repairs {
				if equalStrings(sim.Repairs[j].Inputs, c.Inputs) {
					rep = &sim.Repairs[j]
				}
			}
		}
		status := "a valid correlation matrix: used as given"
		if rep != nil {
			status = fmt.Sprintf("not positive definite: repaired to the nearest correlation matrix (Higham); the largest entry moved by %s", formatG(rep.MaxMove))
		} else if sim == nil {
			status = "the run was not done: whether it needed repair is not known"
		}
		g.text(2, row, fmt.Sprintf("Matrix %d: %s", k+1, status), 0)
		row++
		row = b.matrixBlock(g, row, "As given", c.Inputs, c.Matrix)
		if rep != nil {
			row = b.matrixBlock(g, row, "As repaired (used by the run)", rep.Inputs, rep.Repaired)
			row = b.matrixBlock(g, row, "How far each entry moved (|repaired − given|)", rep.Inputs, rep.Moved)
		}
		row++
	}
	return nil
}

// matrixBlock writes a labelled square matrix from column 2 and returns
// the next free row.
func (b *book) matrixBlock(g grid, row int, title string, labels []string, m [][]float64) int {
	g.text(2, row, title, b.lk.Bold)
	for j, l := range labels {
		g.text(3+j, row, l, b.lk.Header)
	}
	row++
	for i, l := range labels {
		g.text(2, row, l, b.lk.Header)
		if i < len(m) {
			for j := range labels {
				if j < len(m[i]) {
					g.value(3+j, row, m[i][j], b.lk.Decimal)
				}
			}
		}
		row++
	}
	return row
}

// hasUncertaintySheet reports whether the workbook has an Uncertainty
// sheet: with an uncertainty spec (Options.Uncertainty).
func (b *book) hasUncertaintySheet() bool { return b.opt.Uncertainty != nil }

// distributionWords states a distribution in words with its parameters,
// as on the Uncertainty sheet: "normal, mean 1, standard deviation 0.1",
// "triangular: minimum 0.8, most likely 1, maximum 1.3", with
// ", truncated to [lo, hi]" when it is truncated.
func distributionWords(d montecarlo.DistSpec) string {
	f := func(p *float64) string {
		if p == nil {
			return "?"
		}
		return formatG(*p)
	}
	var s string
	switch d.Type {
	case "normal":
		s = fmt.Sprintf("normal, mean %s, standard deviation %s", f(d.Mean), f(d.SD))
	case "lognormal":
		if d.Mean != nil {
			s = fmt.Sprintf("lognormal, mean %s, standard deviation %s", f(d.Mean), f(d.SD))
		} else {
			s = fmt.Sprintf("lognormal, its logarithm normal with mean μ %s and standard deviation σ %s", f(d.Mu), f(d.Sigma))
		}
	case "triangular":
		s = fmt.Sprintf("triangular: minimum %s, most likely %s, maximum %s", f(d.Min), f(d.Mode), f(d.Max))
	case "pert":
		lambda := "4 (the default)"
		if d.Lambda != nil {
			lambda = formatG(*d.Lambda)
		}
		s = fmt.Sprintf("PERT: minimum %s, most likely %s, maximum %s, shape λ %s", f(d.Min), f(d.Mode), f(d.Max), lambda)
	case "uniform":
		s = fmt.Sprintf("uniform between %s and %s", f(d.Min), f(d.Max))
	case "beta":
		lo, hi := "0", "1"
		if d.Min != nil {
			lo = formatG(*d.Min)
		}
		if d.Max != nil {
			hi = formatG(*d.Max)
		}
		s = fmt.Sprintf("beta, α %s, β %s, on [%s, %s]", f(d.Alpha), f(d.Beta), lo, hi)
	case "gamma":
		s = fmt.Sprintf("gamma, shape %s, scale %s", f(d.Shape), f(d.Scale))
	case "weibull":
		s = fmt.Sprintf("Weibull, shape %s, scale %s", f(d.Shape), f(d.Scale))
	case "poisson":
		s = fmt.Sprintf("Poisson, mean λ %s", f(d.Lambda))
	case "discrete":
		var parts []string
		for i, v := range d.Values {
			w := "?"
			if i < len(d.Weights) {
				w = formatG(d.Weights[i])
			}
			parts = append(parts, fmt.Sprintf("%s (weight %s)", formatG(v), w))
		}
		s = "discrete: " + strings.Join(parts, ", ")
	case "empirical":
		lo, hi := 0.0, 0.0
		for i, v := range d.Data {
			if i == 0 || v < lo {
				lo = v
			}
			if i == 0 || v > hi {
				hi = v
			}
		}
		s = fmt.Sprintf("empirical: resampled from %d observations between %s and %s", len(d.Data), formatG(lo), formatG(hi))
	default:
		s = d.Type
	}
	if t := d.Trunc; t != nil {
		lo, hi := "−∞", "+∞"
		if t.Lo != nil {
			lo = formatG(*t.Lo)
		}
		if t.Hi != nil {
			hi = formatG(*t.Hi)
		}
		s += fmt.Sprintf(", truncated to [%s, %s]", lo, hi)
	}
	return s
}

// samplingWords names a sampling method.
func samplingWords(s montecarlo.Sampling) string {
	switch s {
	case montecarlo.MC:
		return "plain Monte Carlo (independent uniform draws)"
	case montecarlo.LHS, "":
		return "Latin Hypercube (stratified within each block of trials)"
	}
	return string(s)
}

// opWords says how an input's draw acts on a driver's base value.
func opWords(op string) string {
	switch op {
	case "set":
		return "replaces it"
	case "multiply":
		return "multiplies it"
	case "add":
		return "is added to it"
	}
	return op
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// groupFloat is an amount rounded to the unit with thousands separators.
func groupFloat(x float64) string {
	s := fmt.Sprintf("%.0f", x)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var out strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out.WriteByte(',')
		}
		out.WriteRune(c)
	}
	if neg && s != "0" {
		return "−" + out.String()
	}
	return out.String()
}

// drawnWords says how an input is drawn: per trial or per month, and how
// its months link (autocorrelation, random walk, compound Poisson events
// and what their count sets).
func drawnWords(in *montecarlo.Input) (drawn, link string) {
	drawn, link = "per trial", "one draw for the whole horizon"
	if in.PerMonth {
		drawn = "per month"
		link = fmt.Sprintf("autocorrelation %s", formatG(in.Autocorrelation))
		if in.Process == montecarlo.RandomWalk {
			link = fmt.Sprintf("random walk (each month's draw multiplies the running product), autocorrelation %s", formatG(in.Autocorrelation))
		}
		if in.Process == montecarlo.CompoundPoisson {
			link = fmt.Sprintf("compound Poisson: Poisson(%s) events a month, each a draw of the distribution, added up", formatG(in.EventsPerMonth))
			if in.CountTarget != "" && in.CountOver != nil {
				link += fmt.Sprintf("; the events longer than %s set %s", formatG(*in.CountOver), in.CountTarget)
			}
		}
	}
	return drawn, link
}
