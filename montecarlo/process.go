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
type Process string

// The processes.
const (
	// RandomWalk is the geometric random walk: see Process.
	RandomWalk Process = "random_walk"
)

// checkProcess validates an input's process and reports whether it is a
// random walk.
func checkProcess(pr *costmodel.Problems, at string, in *Input) bool {
	switch in.Process {
	case "":
		return false
	case RandomWalk:
	default:
		pr.Add(at+".process", quote(string(in.Process)), `"random_walk", or none (each month drawn on its own, with its autocorrelation)`)
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
