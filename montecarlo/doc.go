// Package montecarlo holds the statistical building blocks of Marginal's
// uncertainty analysis: input distributions sampled by inversion, plain
// Monte Carlo and Latin Hypercube sampling, reproducible random streams,
// Iman–Conover rank correlation with repair of inconsistent correlation
// matrices, output statistics (Excel-compatible percentiles, value at risk,
// expected shortfall, histograms, S-curves), sensitivity from the simulation
// (rank correlation, contribution to variance, tail means) and convergence
// measures (standard errors by batch means).
//
// # Conventions
//
// Every distribution is sampled by inversion: a uniform u in [0, 1) is
// mapped through [Distribution.Quantile]. This is what lets Latin Hypercube
// sampling stratify the uniforms and Iman–Conover reorder the draws without
// touching the marginals. Quantile never panics and never returns NaN or
// ±Inf for a distribution that passes [Validate]: p outside [0, 1] is
// clamped into it, NaN is treated as 0.5, and distributions with unbounded
// support keep p within [2⁻⁵³, 1−2⁻⁵³].
//
// Outputs are profit-like: higher is better. Value at risk and conditional
// value at risk are therefore taken from the lower tail and reported as
// levels of the output (see [VaR]), not as losses.
//
// Validation errors are *costmodel.ValidationError values that list every
// problem at once, each naming a JSON path and what was expected; they wrap
// costmodel.ErrInvalid.
//
// # Concurrency
//
// Distributions, samplers and specs are plain values: they are safe for
// concurrent use as long as nobody mutates them (including the slices they
// hold, such as Empirical.Data). A *rand.Rand is not safe for concurrent
// use; give each goroutine its own, for instance from [Stream].
package montecarlo
