package montecarlo

import (
	"fmt"

	"github.com/marginalhq/marginal/costmodel"
)

// Process is how a per-month input's draws follow each other in time.
//
// The default ("") draws each month from the input's distribution, with
// month-to-month Autocorrelation ρ on the normal scores. With a lognormal
// distribution (μ, σ of the log) that is already a mean-reverting process:
// log x_t = μ + σ z_t with z_t = ρ z_{t−1} + √(1 − ρ²) ε_t is the exact
// monthly discretisation of an Ornstein–Uhlenbeck process on the log with
// mean reversion θ = −ln ρ per month, long-run mean μ and stationary
// variance σ² (started in its stationary law): Var(log x_t) = σ² in every
// month and Corr(log x_s, log x_t) = ρ^|t−s|. Write an OU process with
// reversion θ and stationary standard deviation s of the log as
// {"type": "lognormal", "mu": 0, "sigma": s}, "per_month": true,
// "autocorrelation": exp(−θ).
//
// RandomWalk makes the input a geometric random walk: month t's value is
// the product of t + 1 independent monthly draws, x_t = d_0 · d_1 · … · d_t,
// so with lognormal steps (μ, σ of the log) log x_t is normal with mean
// (t + 1)μ and variance (t + 1)σ² — the uncertainty of an FX rate or of
// demand grows with the horizon. It needs per_month, the op "multiply"
// (the walk multiplies the driver's base value), positive draws (a
// lognormal, or a distribution above 0) and no autocorrelation (the steps
// are independent).
//
// CompoundPoisson makes each month's value a compound Poisson sum: a
// Poisson number of events with mean EventsPerMonth, each an independent
// draw of the input's distribution, added up,
//
//	x_t = D_1 + … + D_N,  N ~ Poisson(λ),  D_i ~ dist,
//	E[x_t] = λ·E[D],  Var(x_t) = λ·E[D²] = λ·(Var D + E[D]²)
//
// (a month's downtime hours: incidents × lognormal durations, with
// {"type": "lognormal", "mean": 2, "sd": 3}, "per_month": true, "process":
// "compound_poisson", "events_per_month": 0.8, "op": "set" on
// "<partnership>/outage/downtime_hours"). The count takes the input's
// sampled uniform (stratified under Latin Hypercube sampling); the
// durations come from a stream of their own, (seed, label + "#events",
// block), so the draws are reproducible and other inputs keep theirs. It
// needs per_month, the op "set" (the sum is the month's value), a
// distribution of non-negative values and no autocorrelation. With
// "count_over": r and "count_target": "<partnership>/outage/long_incidents"
// the same events are also counted: each month, the number that lasted
// longer than r sets the target (the incidents past the response time,
// which the response penalties count), recorded as the input
// "<label> over <r>" in Result.Inputs and InputSamples.
type Process string

// The processes.
const (
	// RandomWalk is the geometric random walk: see Process.
	RandomWalk Process = "random_walk"
	// CompoundPoisson is a Poisson number of events a month, each a draw
	// of the distribution, added up: see Process.
	CompoundPoisson Process = "compound_poisson"
)

// maxEventsPerMonth bounds a compound Poisson input's events a month,
// so that a trial's month sums a bounded number of draws.
const maxEventsPerMonth = 1000

// checkCompound validates a compound Poisson input: its events a month
// and the rules of checkProcess's doc.
func checkCompound(pr *costmodel.Problems, at string, in *Input, dist Distribution) {
	if in.Process != CompoundPoisson {
		if in.EventsPerMonth != 0 {
			pr.Add(at+".events_per_month", formatG(in.EventsPerMonth), fmt.Sprintf("no events_per_month unless the process is %q", CompoundPoisson))
		}
		return
	}
	if !(in.EventsPerMonth > 0 && in.EventsPerMonth <= maxEventsPerMonth) {
		pr.Add(at+".events_per_month", formatG(in.EventsPerMonth), fmt.Sprintf("a Poisson mean of events a month in (0, %d]", maxEventsPerMonth))
	}
	if !in.PerMonth {
		pr.Add(at+".process", quote(string(in.Process)), "per_month set too (the events are counted month by month)")
	}
	if in.Op != costmodel.SetTo {
		pr.Add(at+".op", quote(in.Op), fmt.Sprintf("%q for a compound Poisson input (the sum of the month's events is its value)", costmodel.SetTo))
	}
	if in.Autocorrelation != 0 {
		pr.Add(at+".autocorrelation", formatG(in.Autocorrelation), "no autocorrelation for a compound Poisson input (its months are independent)")
	}
	if dist != nil && !(dist.Quantile(0) >= 0) {
		pr.Add(at+".dist", formatG(dist.Quantile(0)), "a distribution of values ≥ 0 for the events (a lognormal, gamma or Weibull duration)")
	}
}

// compound is the month's sum of a compound Poisson input: the count is
// Poisson(lambda)'s quantile at u, each event dist's quantile at a
// uniform of r. long is the number of events longer than over (the
// count of none when over is +Inf).
func compound(u, lambda float64, dist Distribution, r interface{ Float64() float64 }, over float64) (sum float64, long int) {
	n := int(Poisson{Lambda: lambda}.Quantile(u))
	for range n {
		d := dist.Quantile(r.Float64())
		sum += d
		if d > over {
			long++
		}
	}
	return sum, long
}

// checkProcess validates an input's process and reports whether it is a
// random walk.
func checkProcess(pr *costmodel.Problems, at string, in *Input) bool {
	switch in.Process {
	case "", CompoundPoisson:
		return false
	case RandomWalk:
	default:
		pr.Add(at+".process", quote(string(in.Process)), `"random_walk", "compound_poisson", or none (each month drawn on its own, with its autocorrelation)`)
		return false
	}
	if !in.PerMonth {
		pr.Add(at+".process", quote(string(in.Process)), "per_month set too (a random walk moves month by month)")
	}
	if in.Op != costmodel.Multiply {
		pr.Add(at+".op", quote(in.Op), fmt.Sprintf("%q for a random walk (the walk multiplies the driver's base value)", costmodel.Multiply))
	}
	if in.Autocorrelation != 0 {
		pr.Add(at+".autocorrelation", formatG(in.Autocorrelation), "no autocorrelation for a random walk (its steps are independent)")
	}
	return true
}

// walk turns n trials × M months of independent draws (month-major:
// md[t*n+j]) into the running products along the months.
func walk(md []float64, n, M int) {
	for t := 1; t < M; t++ {
		cur, prev := md[t*n:(t+1)*n], md[(t-1)*n:t*n]
		for j := range cur {
			cur[j] *= prev[j]
		}
	}
}
