// Package montecarlo simulates a portfolio's contribution margins under
// uncertainty. [Run] draws the inputs of a [Spec] (distributions attached
// to driver addresses, correlations, sampling method), evaluates the
// portfolio's statement graph compiled to a float64 tape for the run's
// outputs (costmodel.Model and internal/graph: only the part the
// uncertain drivers reach is evaluated per trial, a block of trials at a
// time) on all cores, and reports each output's distribution, convergence and
// sensitivity; [RunPaired] evaluates alternatives (proposed terms, a
// scenario) on the same draws, the common random numbers a renegotiation
// needs ("under the proposed terms we are better off in 83 % of futures");
// [CompareResponses] does so for the responses to a competitor's price
// cut (P(match better than hold)).
//
// # Reproducibility
//
// Trials run in blocks ([DefaultBlockSize]). The draws of input i in block
// b come from their own stream, [Stream](seed, label of i, b), so the same
// seed gives the same numbers whatever the number of workers, adding an
// input does not change the others' draws, and blocks can run anywhere
// and merge. Latin Hypercube stratifies within each block; Iman–Conover
// correlates within each block.
//
// # Building blocks
//
// Input distributions are sampled by inversion, with plain
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
// # Trial count
//
// There is no default number of trials: it decides the precision of every
// figure, so it is given in [Options].Trials or in the spec's run.trials
// (Options wins). A run with neither fails with an error wrapping
// [ErrNoTrials]; zero or negative counts written anywhere are errors.
//
// # Undefined outputs
//
// A ratio over zero net sales and a payback month not reached within the
// horizon are undefined in that trial. An undefined trial is never a
// number: [OutputResult] counts it (Undefined), marks it (Defined,
// IsDefined) and leaves it out of every statistic; an output undefined in
// every trial has Valid false and no statistic. Sensitivity, the tail
// view, convergence checks and paired differences use the trials in which
// the output is defined (on both sides, for a difference). Samples holds
// a placeholder 0 in an undefined trial, so it stays aligned with the
// inputs' samples; no NaN or ±Inf is ever in a result.
//
// # Errors and panics
//
// Nil or zero-value arguments are errors, never panics. A panic inside a
// worker goroutine (a bug) is recovered and returned as a [*PanicError],
// so it cannot crash the caller's process.
//
// # Concurrency
//
// Distributions, samplers and specs are plain values: they are safe for
// concurrent use as long as nobody mutates them (including the slices they
// hold, such as Empirical.Data). A *rand.Rand is not safe for concurrent
// use; give each goroutine its own, for instance from [Stream].
package montecarlo
